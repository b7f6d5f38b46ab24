import { describe, expect, it } from 'vitest';
import { compileModel, type CompiledModel } from '../../../common/engine/compile-model';
import { countNodes, describeBytes, estimateRunMemory } from '../../../common/engine/memory-estimate';
import { parseExpression } from '../../../common/engine/expression/parse';

function compiled(outputs: number, expr = 'x + 1'): CompiledModel {
  const result = compileModel({
    format: 'enclave-model/1',
    name: 'm',
    marking: 'UNCLASSIFIED',
    inputs: [{ name: 'x', dist: { type: 'normal', mean: 0, sd: 1 } }],
    formulas: Array.from({ length: outputs }, (_, i) => ({ name: `o${i}`, expr })),
    outputs: Array.from({ length: outputs }, (_, i) => `o${i}`),
  });
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.compiled;
}

const run = { iterations: 1_000_000, keepInputs: 200_000, sampling: 'mc' as const, workers: 2 };

describe('the memory a run needs', () => {
  it('grows by 8 bytes per output per iteration, twice that with auto-stop', () => {
    const one = estimateRunMemory(compiled(1), run);
    const more = estimateRunMemory(compiled(1), { ...run, iterations: 2_000_000 });
    expect(more - one).toBe(8 * 1_000_000);
    const auto = estimateRunMemory(compiled(1), { ...run, iterations: 2_000_000, autoStop: true });
    expect(auto - more).toBe(8 * 2_000_000);
  });

  it("counts each worker's Latin Hypercube permutations and each formula node's blocks", () => {
    const mc = estimateRunMemory(compiled(1), run);
    expect(estimateRunMemory(compiled(1), { ...run, sampling: 'lhs' }) - mc).toBe(2 * 4 * 1_000_000);
    const deeper = estimateRunMemory(compiled(1, 'x + 1 + 1'), run);
    expect(deeper - mc).toBe(2 * 2 * 8192 * 8); // two more nodes, a block each, in each of 2 workers
    expect(countNodes(parseExpression('if(x > 0, -x, max(x, 2))'))).toBe(9);
  });

  it('puts the figures in words', () => {
    expect(describeBytes(2.43e9)).toBe('2.4 GB');
    expect(describeBytes(512e6)).toBe('512.0 MB');
  });
});
