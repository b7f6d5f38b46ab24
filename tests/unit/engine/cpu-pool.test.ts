import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../../common/engine/compile-model';
import { simulateCpu } from '../../../common/engine/simulate-cpu';
import { simulateOnAllCores } from '../../../electron/services/engine/cpu-pool';
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
    const pooled = await simulateOnAllCores(result.compiled, { iterations, seed: 77, sampling, keepInputs: 1000, workerPath, workers: 3 });
    expect(pooled.outputs.t).toEqual(single.outputs.t);
    expect(pooled.inputs).toEqual(single.inputs);
  });

  it('reports a worker failure instead of hanging', async () => {
    const result = compileModel({ format: 'enclave-model/1', name: 'x', marking: 'U', inputs: [{ name: 'a', dist: { type: 'normal', mean: 0, sd: 1 } }], outputs: ['a'] });
    if (!result.ok) throw new Error(result.errors.join());
    await expect(simulateOnAllCores(result.compiled, { iterations: 100_000, seed: 1, sampling: 'mc', keepInputs: 0, workerPath: join(repoRoot, 'dist', 'node', 'no-such-worker.cjs') })).rejects.toThrow(/Cannot find module/);
  });
});
