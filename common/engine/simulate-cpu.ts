import type { CompiledModel } from './compile-model';
import { fillLhsUniforms, lhsPermutation } from './lhs';
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
}

export interface SimulationValues {
  outputs: Record<string, Float64Array>;
  /** Present when keepInputs was asked for. */
  inputs?: Record<string, Float64Array>;
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
  for (const output of compiled.outputs) results[output] = new Float64Array(iterations);
  const kept = Math.min(iterations, options.keepInputs ?? 0);
  const inputs = kept > 0 ? Object.fromEntries(compiled.inputs.map((input) => [input.name, new Float64Array(kept)])) : undefined;
  const uniforms = new Float64Array(block);
  const total = options.totalIterations ?? first + iterations;
  const permutations = options.sampling === 'lhs' ? compiled.inputs.map((_, k) => lhsPermutation(seed, k, total)) : null;

  for (let start = 0; start < iterations; start += block) {
    const length = Math.min(block, iterations - start);
    compiled.inputs.forEach((input, k) => {
      const target = length === block ? uniforms : uniforms.subarray(0, length);
      const u = permutations ? fillLhsUniforms(seed, k, permutations[k]!, first + start, target) : fillUniforms(seed, k, first + start, target);
      const column = inputColumns[k]!;
      const { quantile } = input.distribution;
      for (let i = 0; i < length; i++) column[i] = quantile(u[i]!);
      if (inputs && start < kept) inputs[input.name]!.set(column.subarray(0, Math.min(length, kept - start)), start);
    });
    compiled.formulas.forEach((formula, k) => {
      const value = formula.evaluate(columns, length);
      columns[compiled.inputs.length + k]!.set(value.subarray(0, length));
    });
    for (const output of compiled.outputs) {
      const column = columns[compiled.columns.get(output)!]!;
      results[output]!.set(column.subarray(0, length), start);
    }
  }
  return inputs ? { outputs: results, inputs } : { outputs: results };
}
