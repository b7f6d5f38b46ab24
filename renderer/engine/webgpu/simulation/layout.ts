/**
 * Packs what the kernel needs to know about a compiled model's inputs into one buffer of 32-bit
 * words (floats as their f32 bits): a 16-word header per input, the copula's Cholesky factor, then
 * the tables. The kernel's source depends only on the model's structure (which sampler each input
 * uses, truncation, correlation size, formulas), so changing a parameter reuses the pipeline.
 */
import type { CompiledModel } from '../../../../common/engine/compile-model';
import {
  makeDistribution,
  truncationBounds,
  type DistributionSpec,
} from '../../../../common/engine/distributions/catalog';
import { discreteTable } from '../../../../common/engine/distributions/step-tables';
import { cachedQuantileTable } from './tables';

/** Thrown for a model this kernel cannot run; the CPU workers can. */
export class WebGpuModelError extends Error {
  override readonly name = 'WebGpuModelError';
}

export type Sampler =
  'normal' | 'lognormal' | 'uniform' | 'triangular' | 'exponential' | 'weibull' | 'tabulated' | 'step' | 'cumulative';

export interface InputLayout {
  name: string;
  /** Word offset of the input's header in the model data. */
  header: number;
  sampler: Sampler;
  truncated: boolean;
  /** Position in the copula, or -1. */
  copula: number;
}

export interface ModelLayout {
  inputs: InputLayout[];
  data: Uint32Array;
  /**
   * Correlated inputs, in the Cholesky factor's order: at `offset` their input indices, then the
   * factor (row-major, n × n).
   */
  copula: { inputs: number[]; offset: number } | null;
}

/**
 * Per input: dist parameters (words 0-7), shift (8), F(lo), F(hi) - F(lo), 1 - F(hi), lo, hi
 * (9-13), position in the copula or NOT_CORRELATED (14), sampler code << 8 | truncated (15).
 */
export const HEADER_WORDS = 16;
export const NOT_CORRELATED = 0xffffffff;
/** The sampler codes of sample_one in kernel.wgsl. */
export const SAMPLER_CODES: Record<Sampler, number> = {
  normal: 0,
  lognormal: 1,
  uniform: 2,
  triangular: 3,
  exponential: 4,
  weibull: 5,
  tabulated: 6,
  step: 7,
  cumulative: 8,
};
/**
 * The kernel keeps every input's four samples in a function-scope array of vec4<f32> (the copula's
 * normals share it), and WGSL caps a shader's function-scope variables at 8,192 bytes in all:
 * 480 inputs take 7,680, leaving room for the helpers' own variables (about 300 bytes).
 */
export const MAX_GPU_INPUTS = 480;

/** A growing list of words, floats stored as their f32 bits. */
class Words {
  #words: number[] = [];
  readonly #f32 = new Float32Array(1);
  readonly #u32 = new Uint32Array(this.#f32.buffer);

  get length(): number {
    return this.#words.length;
  }
  reserve(count: number): number {
    const at = this.#words.length;
    for (let i = 0; i < count; i++) this.#words.push(0);
    return at;
  }
  setFloat(at: number, value: number): void {
    this.#f32[0] = value;
    this.#words[at] = this.#u32[0]!;
  }
  setWord(at: number, value: number): void {
    this.#words[at] = value >>> 0;
  }
  pushFloats(values: ArrayLike<number>): number {
    const at = this.reserve(values.length);
    for (let i = 0; i < values.length; i++) this.setFloat(at + i, values[i]!);
    return at;
  }
  toArray(): Uint32Array {
    return Uint32Array.from(this.#words);
  }
}

const F32_MIN_NORMAL = 1.1754943508222875e-38;

/** e^mu when it is a normal, finite f32; otherwise 0, and the kernel takes exp(mu + sigma z) whole. */
function medianOf(mu: number): number {
  const m = Math.fround(Math.exp(mu));
  return Number.isFinite(m) && m >= F32_MIN_NORMAL ? Math.exp(mu) : 0;
}

/** The sampler and its parameter words (0-7 of the header) for one distribution; tables go to `words`, shared by equal specs. */
function parameters(
  spec: DistributionSpec,
  words: Words,
  tables: Map<string, number>,
): { sampler: Sampler; params: number[]; words?: number[] } {
  const table = (build: () => number): number => {
    const key = JSON.stringify(spec);
    let at = tables.get(key);
    if (at === undefined) tables.set(key, (at = build()));
    return at;
  };
  switch (spec.type) {
    case 'normal':
      return { sampler: 'normal', params: [spec.mean, spec.sd] };
    case 'lognormal': {
      // catalog.ts: @RISK's mean and sd of the distribution itself.
      const sigma2 = Math.log(1 + (spec.sd * spec.sd) / (spec.mean * spec.mean));
      const mu = Math.log(spec.mean) - sigma2 / 2;
      return { sampler: 'lognormal', params: [mu, Math.sqrt(sigma2), medianOf(mu)] };
    }
    case 'lognormal2':
      return { sampler: 'lognormal', params: [spec.mu, spec.sigma, medianOf(spec.mu)] };
    case 'uniform':
      return { sampler: 'uniform', params: [spec.min, spec.max - spec.min] };
    case 'triangular': {
      const { min: a, mode: c, max: b } = spec;
      return { sampler: 'triangular', params: [a, b, (c - a) / (b - a), (b - a) * (c - a), (b - a) * (b - c)] };
    }
    case 'exponential':
      return { sampler: 'exponential', params: [spec.mean] };
    case 'weibull':
      return { sampler: 'weibull', params: [spec.scale, 1 / spec.shape] };
    case 'gamma':
    case 'beta':
    case 'pert':
    case 'student':
      return { sampler: 'tabulated', params: [], words: [table(() => words.pushFloats(cachedQuantileTable(spec)))] };
    case 'bernoulli':
    case 'discrete':
    case 'poisson':
    case 'binomial': {
      const steps = discreteTable(spec);
      const at = table(() => {
        const start = words.pushFloats(steps.cdf);
        words.pushFloats(steps.survival);
        words.pushFloats(steps.values);
        return start;
      });
      return { sampler: 'step', params: [], words: [at, steps.values.length] };
    }
    case 'cumulative': {
      const at = table(() => {
        const start = words.pushFloats(spec.points.map((p) => p[1]));
        words.pushFloats(spec.points.map((p) => p[0]));
        return start;
      });
      return { sampler: 'cumulative', params: [], words: [at, spec.points.length] };
    }
  }
}

export function layoutModel(compiled: CompiledModel): ModelLayout {
  const modelInputs = compiled.model.inputs;
  const correlated = compiled.correlation?.columns ?? [];
  if (modelInputs.length > MAX_GPU_INPUTS) {
    throw new WebGpuModelError(
      `The GPU kernel takes at most ${MAX_GPU_INPUTS} inputs; this model has ${modelInputs.length}. Run it on CPU workers.`,
    );
  }
  const words = new Words();
  words.reserve(HEADER_WORDS * modelInputs.length);
  const copulaOffset = words.reserve(correlated.length);
  correlated.forEach((k, j) => words.setWord(copulaOffset + j, k));
  words.pushFloats(compiled.correlation?.plan.cholesky ?? []);
  const tables = new Map<string, number>();
  const inputs = modelInputs.map((input, k): InputLayout => {
    const spec = input.dist as DistributionSpec;
    const header = HEADER_WORDS * k;
    const { sampler, params, words: raw } = parameters(spec, words, tables);
    params.forEach((value, i) => words.setFloat(header + i, value));
    raw?.forEach((value, i) => words.setWord(header + i, value));
    words.setFloat(header + 8, input.shift ?? 0);
    if (input.truncate) {
      // withModifiers: u maps into [flo, fhi] (truncationBounds); its complement into [1 - fhi, 1 - flo].
      const [lo, hi] = input.truncate;
      const { flo, fhi } = truncationBounds(makeDistribution(spec), lo, hi);
      words.setFloat(header + 9, flo);
      words.setFloat(header + 10, fhi - flo);
      words.setFloat(header + 11, 1 - fhi);
      words.setFloat(header + 12, lo);
      words.setFloat(header + 13, hi);
    }
    const copula = correlated.indexOf(k);
    words.setWord(header + 14, copula >= 0 ? copula : NOT_CORRELATED);
    words.setWord(header + 15, (SAMPLER_CODES[sampler] << 8) | (input.truncate ? 1 : 0));
    return { name: input.name, header, sampler, truncated: Boolean(input.truncate), copula };
  });
  return {
    inputs,
    data: words.toArray(),
    copula: correlated.length > 0 ? { inputs: [...correlated], offset: copulaOffset } : null,
  };
}
