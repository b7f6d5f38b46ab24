import { describe, expect, it } from 'vitest';
import { compileModel, type CompiledModel } from '../../../common/engine/compile-model';
import { runMemoryRefusal } from '../../../renderer/engine/memory-check';

import exampleModel from '../../../resources/models/project-cost-schedule.json?raw';

function compiled(raw: unknown): CompiledModel {
  const result = compileModel(raw);
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.compiled;
}

const wide = compiled({
  format: 'enclave-model/1',
  name: 'wide',
  marking: 'UNCLASSIFIED',
  inputs: [{ name: 'x', dist: { type: 'normal', mean: 0, sd: 1 } }],
  formulas: Array.from({ length: 100 }, (_, i) => ({ name: `o${i}`, expr: `x + ${i}` })),
  outputs: Array.from({ length: 100 }, (_, i) => `o${i}`),
});

describe("the page's run: memory checked before it starts", () => {
  it('refuses a run bigger than half the device memory, with the figures', () => {
    expect(runMemoryRefusal(wide, { iterations: 100_000_000, sampling: 'mc' }, 8, 8)).toMatch(
      /^This run needs about 80\.\d GB of memory; the limit is 4\.3 GB: lower the iterations or the number of outputs\.$/,
    );
    // The same 100 outputs at 3,000,000 iterations fit on an 8 GiB device, not on a 4 GiB one.
    expect(runMemoryRefusal(wide, { iterations: 3_000_000, sampling: 'mc' }, 8, 8)).toBeNull();
    expect(runMemoryRefusal(wide, { iterations: 3_000_000, sampling: 'mc' }, 8, 4)).toMatch(
      /needs about 3\.\d GB of memory; the limit is 2\.1 GB/,
    );
  });

  it("takes the app's examples at their default size", () => {
    const example = compiled(JSON.parse(exampleModel));
    expect(runMemoryRefusal(example, { iterations: 1_000_000, sampling: 'mc' }, 16, undefined)).toBeNull();
    expect(runMemoryRefusal(example, { iterations: 100_000_000, sampling: 'lhs' }, 16, 8)).toMatch(/needs about/);
  });
});
