import type { CompiledModel } from './compile-model';
import { standardNormalQuantile } from './distributions/normal';
import { standardNormalCdf } from './distributions/special';
import { fillLhsUniforms, lhsPermutation } from './lhs';
import { combineMoments, momentsOf, type Moments } from './moments';
import { fillUniforms } from './rng';

export interface SimulationOptions {
  iterations: number;
  seed: number;
  /** First iteration of this partition (partitions of one run never overlap: the RNG is counter-based). */
  firstIteration?: number;
  /** Monte Carlo, or Latin Hypercube (each input's range cut into as many equal-probability strata as iterations). */
  sampling?: 'mc' | 'lhs';
  /** Iterations in the whole run, when this call is one partition of it (LHS strata span the whole run). */
  totalIterations?: number;
  /** Keep the first this-many iterations of every input's samples (for sensitivity analysis). */
  keepInputs?: number;
  /** Also compute each output's moments, block by block while the block is in cache. */
  moments?: boolean;
  /** Where to write each output (at least `iterations` long), e.g. a view of shared memory; new arrays otherwise. */
  into?: Record<string, Float64Array>;
}

export interface SimulationValues {
  outputs: Record<string, Float64Array>;
  /** Present when keepInputs was asked for. */
  inputs?: Record<string, Float64Array>;
  /** Present when moments were asked for. */
  moments?: Record<string, Moments>;
}

/**
 * The Gaussian copula, in place: for each iteration the correlated inputs' uniforms become
 * normals, are mixed by the Cholesky factor, and become uniforms again.
 */
function correlate(
  correlation: NonNullable<CompiledModel['correlation']>,
  u: Float64Array[],
  length: number,
  z: Float64Array,
): void {
  const { cholesky } = correlation.plan;
  const columns = correlation.columns;
  const n = columns.length;
  for (let i = 0; i < length; i++) {
    for (let j = 0; j < n; j++) z[j] = standardNormalQuantile(u[columns[j]!]![i]!);
    for (let r = n - 1; r >= 0; r--) {
      let y = 0;
      for (let c = 0; c <= r; c++) y += cholesky[r * n + c]! * z[c]!;
      // Clamp: the uniform must stay inside (0, 1) for every inverse CDF.
      u[columns[r]!]![i] = Math.min(1 - 2 ** -53, Math.max(2 ** -53, standardNormalCdf(y)));
    }
  }
}

/**
 * Runs iterations block by block on the CPU: uniforms from Philox (stream = input index,
 * counter = iteration), inverse-CDF sampling into columns, formulas in dependency order, output
 * values kept whole so percentiles are exact. Returns one Float64Array per output.
 */
export function simulateCpu(compiled: CompiledModel, options: SimulationOptions): SimulationValues {
  const { iterations, seed } = options;
  const first = options.firstIteration ?? 0;
  const block = compiled.blockSize;
  const inputColumns = compiled.inputs.map(() => new Float64Array(block));
  const columns: Float64Array[] = [...inputColumns, ...compiled.formulas.map(() => new Float64Array(block))];
  const results: Record<string, Float64Array> = {};
  for (const output of compiled.outputs)
    results[output] = options.into?.[output]?.subarray(0, iterations) ?? new Float64Array(iterations);
  const moments = options.moments
    ? Object.fromEntries(compiled.outputs.map((output) => [output, momentsOf(new Float64Array(0))]))
    : undefined;
  const kept = Math.min(iterations, options.keepInputs ?? 0);
  const inputs =
    kept > 0 ? Object.fromEntries(compiled.inputs.map((input) => [input.name, new Float64Array(kept)])) : undefined;
  const uniforms = compiled.inputs.map(() => new Float64Array(block));
  const z = new Float64Array(compiled.correlation?.plan.names.length ?? 0);
  const total = options.totalIterations ?? first + iterations;
  const permutations =
    options.sampling === 'lhs' ? compiled.inputs.map((_, k) => lhsPermutation(seed, k, total)) : null;

  for (let start = 0; start < iterations; start += block) {
    const length = Math.min(block, iterations - start);
    const u = uniforms.map((buffer, k) => {
      const target = length === block ? buffer : buffer.subarray(0, length);
      return permutations
        ? fillLhsUniforms(seed, k, permutations[k]!, first + start, target)
        : fillUniforms(seed, k, first + start, target);
    });
    if (compiled.correlation) correlate(compiled.correlation, u, length, z);
    compiled.inputs.forEach((input, k) => {
      const column = inputColumns[k]!;
      const uk = u[k]!;
      input.distribution.fill(uk, column, length);
      if (inputs && start < kept) inputs[input.name]!.set(column.subarray(0, Math.min(length, kept - start)), start);
    });
    compiled.formulas.forEach((formula, k) => {
      const value = formula.evaluate(columns, length);
      columns[compiled.inputs.length + k]!.set(value.subarray(0, length));
    });
    for (const output of compiled.outputs) {
      const column = columns[compiled.columns.get(output)!]!;
      const result = results[output]!;
      // A zero is stored as +0, whatever arithmetic made it (0 * -5 is -0): -0 and +0 compare
      // equal but sort apart, and no report should show a -0. The GPU kernel's store_out does the same.
      for (let i = 0; i < length; i++) {
        const v = column[i]!;
        result[start + i] = v === 0 ? 0 : v;
      }
      if (moments) moments[output] = combineMoments(moments[output]!, momentsOf(result, start, start + length));
    }
  }
  return { outputs: results, ...(inputs ? { inputs } : {}), ...(moments ? { moments } : {}) };
}
