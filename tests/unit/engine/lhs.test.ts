import { describe, expect, it } from 'vitest';
import { compileModel } from '../../../common/engine/compile-model';
import { fillLhsUniforms, lhsPermutation, lhsPermutationInSlices } from '../../../common/engine/lhs';
import { simulateCpu } from '../../../common/engine/simulate-cpu';
import { summarize } from '../../../common/engine/statistics';

describe('Latin Hypercube sampling', () => {
  it('puts exactly one of N uniforms in each of N strata, for every input', () => {
    const n = 10_000;
    for (const stream of [0, 1, 7]) {
      const u = fillLhsUniforms(99, stream, lhsPermutation(99, stream, n), 0, new Float64Array(n));
      const strata = new Uint8Array(n);
      for (const v of u) {
        expect(v > 0 && v < 1).toBe(true);
        strata[Math.floor(v * n)]! += 1;
      }
      expect(strata.every((count) => count === 1)).toBe(true);
    }
  });

  it('permutations differ between inputs and seeds, and are reproducible', () => {
    expect(lhsPermutation(1, 0, 100)).toEqual(lhsPermutation(1, 0, 100));
    expect(lhsPermutation(1, 0, 100)).not.toEqual(lhsPermutation(1, 1, 100));
    expect(lhsPermutation(1, 0, 100)).not.toEqual(lhsPermutation(2, 0, 100));
    expect([...lhsPermutation(5, 3, 1000)].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('partitions of an LHS run reproduce the whole run, strata included', () => {
    const raw = {
      format: 'enclave-model/1',
      name: 't',
      marking: 'U',
      inputs: [{ name: 'x', dist: { type: 'normal', mean: 0, sd: 1 } }],
      outputs: ['x'],
    };
    const result = compileModel(raw, 256);
    if (!result.ok) throw new Error(result.errors.join());
    const whole = simulateCpu(result.compiled, { iterations: 2000, seed: 4, sampling: 'lhs' }).outputs.x!;
    const a = simulateCpu(result.compiled, { iterations: 700, seed: 4, sampling: 'lhs', totalIterations: 2000 }).outputs
      .x!;
    const b = simulateCpu(result.compiled, {
      iterations: 1300,
      seed: 4,
      sampling: 'lhs',
      firstIteration: 700,
      totalIterations: 2000,
    }).outputs.x!;
    expect(Float64Array.from([...a, ...b])).toEqual(whole);
  });

  it('estimates the mean far more precisely than Monte Carlo at the same size', () => {
    const raw = {
      format: 'enclave-model/1',
      name: 't',
      marking: 'U',
      inputs: [{ name: 'x', dist: { type: 'lognormal', mean: 100, sd: 40 } }],
      outputs: ['x'],
    };
    const result = compileModel(raw);
    if (!result.ok) throw new Error(result.errors.join());
    const errors = { mc: 0, lhs: 0 };
    for (let seed = 1; seed <= 20; seed++) {
      for (const sampling of ['mc', 'lhs'] as const)
        errors[sampling] +=
          (summarize(simulateCpu(result.compiled, { iterations: 2000, seed, sampling }).outputs.x!).mean - 100) ** 2;
    }
    expect(errors.lhs * 10).toBeLessThan(errors.mc);
  });
});

describe('the Latin Hypercube permutation drawn in slices', () => {
  it('is the same permutation, whatever the slice, with a pause between slices', async () => {
    for (const n of [1, 2, 1000, 65_537]) {
      let pauses = 0;
      const sliced = await lhsPermutationInSlices(7, 3, n, async () => void pauses++, 1024);
      expect(sliced).toEqual(lhsPermutation(7, 3, n));
      expect(pauses).toBe(Math.ceil((n - 1) / 1024));
    }
  });

  it('stops when the pause throws (a cancelled run)', async () => {
    const stop = () => Promise.reject(new Error('cancelled'));
    await expect(lhsPermutationInSlices(1, 0, 10_000, stop, 100)).rejects.toThrow('cancelled');
  });
});
