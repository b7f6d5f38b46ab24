import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../../common/engine/compile-model';
import { momentsOf } from '../../../common/engine/moments';
import { simulateCpu } from '../../../common/engine/simulate-cpu';
import { summarize } from '../../../common/engine/statistics';
import { mergeSortedRuns } from '../../../common/engine/merge-sorted';
import { simulateOnAllCores } from '../../../electron/services/engine/thread-pool';
import { DISCRETE_OUTPUTS } from '../../support/fixtures/engine-models';
import { repoRoot } from '../../support/services';

const workerPath = join(repoRoot, 'dist', 'node', 'engine-worker.cjs');

describe('CPU worker pool', () => {
  it.each(['mc', 'lhs'] as const)('gives exactly the single-threaded result, on every core (%s)', async (sampling) => {
    const raw = {
      format: 'enclave-model/1',
      name: 'pool',
      marking: 'UNCLASSIFIED',
      inputs: [
        { name: 'a', dist: { type: 'pert', min: 1, mode: 2, max: 9 } },
        { name: 'b', dist: { type: 'normal', mean: 0, sd: 1 } },
      ],
      correlations: [{ a: 'a', b: 'b', rank: 0.5 }],
      formulas: [{ name: 't', expr: 'a * exp(b / 4)' }],
      outputs: ['t'],
    };
    const result = compileModel(raw, 8192);
    if (!result.ok) throw new Error(result.errors.join());
    const iterations = 300_001;
    const single = simulateCpu(result.compiled, { iterations, seed: 77, sampling, keepInputs: 1000 });
    const pooled = await simulateOnAllCores(result.compiled, {
      iterations,
      seed: 77,
      sampling,
      keepInputs: 1000,
      workerPath,
      workers: 3,
    });
    expect(pooled.outputs.t).toEqual(single.outputs.t);
    expect(pooled.inputs).toEqual(single.inputs);
  });

  it('reports a worker failure instead of hanging', async () => {
    const result = compileModel({
      format: 'enclave-model/1',
      name: 'x',
      marking: 'U',
      inputs: [{ name: 'a', dist: { type: 'normal', mean: 0, sd: 1 } }],
      outputs: ['a'],
    });
    if (!result.ok) throw new Error(result.errors.join());
    await expect(
      simulateOnAllCores(result.compiled, {
        iterations: 100_000,
        seed: 1,
        sampling: 'mc',
        keepInputs: 0,
        workerPath: join(repoRoot, 'dist', 'node', 'no-such-worker.cjs'),
      }),
    ).rejects.toThrow(/Cannot find module/);
  });
});

describe('sorted runs', () => {
  it('merges sorted partitions into the same order as one sort, non-finite values last', async () => {
    const parts = [[5, 1, 9, Number.NaN, 3], [2, 2, Number.POSITIVE_INFINITY, -1], [8]].map((p) =>
      Float64Array.from(p).sort(),
    );
    const data = Float64Array.from(parts.flatMap((p) => [...p]));
    const runs: [number, number][] = [];
    let at = 0;
    for (const p of parts) runs.push([at, (at += p.length)]);
    expect([...mergeSortedRuns(data, runs)]).toEqual([...Float64Array.from(data).sort()]);
  });

  it('the pool computes each output’s moments and exact statistics on every core, as one pass over all of it would', async () => {
    const result = compileModel({
      format: 'enclave-model/1',
      name: 'x',
      marking: 'U',
      inputs: [{ name: 'a', dist: { type: 'gamma', shape: 2, scale: 1 } }],
      outputs: ['a'],
    });
    if (!result.ok) throw new Error(result.errors.join());
    const values = await simulateOnAllCores(result.compiled, {
      iterations: 250_000,
      seed: 3,
      sampling: 'mc',
      keepInputs: 0,
      workerPath,
      workers: 3,
    });
    const whole = momentsOf(values.outputs.a!);
    const pooled = values.moments.a!;
    expect(pooled).toMatchObject({ n: whole.n, nonFinite: 0, min: whole.min, max: whole.max });
    for (const k of ['mean', 'm2', 'm3', 'm4'] as const)
      expect(Math.abs(pooled[k] - whole[k]) / Math.abs(whole[k])).toBeLessThan(1e-11);
    const fromPool = values.statistics.a!;
    const direct = summarize(values.outputs.a!);
    expect(fromPool.percentiles).toEqual(direct.percentiles);
    expect(fromPool.cdf).toEqual(direct.cdf);
    expect(fromPool.histogram).toEqual(direct.histogram);
    expect(fromPool.kurtosis).toBeCloseTo(direct.kurtosis, 10);
  });

  it('gives discrete and zero-inflated outputs the statistics a full sort gives', async () => {
    const result = compileModel(DISCRETE_OUTPUTS);
    if (!result.ok) throw new Error(result.errors.join());
    const values = await simulateOnAllCores(result.compiled, {
      iterations: 200_000,
      seed: 5,
      sampling: 'mc',
      keepInputs: 0,
      workerPath,
      workers: 2,
    });
    for (const name of DISCRETE_OUTPUTS.outputs) {
      const all = values.outputs[name]!;
      const sorted = Float64Array.from(all).sort();
      // The reference reads the ranks from a full sort.
      const direct = summarize(all, sorted);
      expect(values.statistics[name]!.percentiles, name).toEqual(direct.percentiles);
      expect(values.statistics[name]!.cdf, name).toEqual(direct.cdf);
      expect(values.statistics[name]!.histogram, name).toEqual(direct.histogram);
    }
    expect(values.statistics.zero_inflated!.percentiles.p50).toBe(0);
  });
});
