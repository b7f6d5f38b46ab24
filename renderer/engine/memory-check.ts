import type { CompiledModel } from '../../common/engine/compile-model';
import { estimateRunMemory, memoryRefusal } from '../../common/engine/memory-estimate';
import { SENSITIVITY_ITERATIONS } from '../../common/engine/summary';

/**
 * The most a run may take on the page: half the device memory Chromium reports
 * (navigator.deviceMemory, in GiB, at most 8), or half of 8 GiB where it reports none.
 */
export function pageMemoryLimit(deviceMemoryGiB: number | undefined): number {
  return Math.floor(((deviceMemoryGiB ?? 8) * 1024 ** 3) / 2);
}

/**
 * Why this run cannot start on the page, in a sentence, or null: the CLI's estimate
 * (common/engine/memory-estimate.ts), checked before any worker takes memory.
 */
export function runMemoryRefusal(
  compiled: CompiledModel,
  run: { iterations: number; sampling: 'mc' | 'lhs' },
  workers: number,
  deviceMemoryGiB: number | undefined,
): string | null {
  const needed = estimateRunMemory(compiled, {
    iterations: run.iterations,
    keepInputs: Math.min(run.iterations, SENSITIVITY_ITERATIONS),
    sampling: run.sampling,
    workers,
  });
  const refusal = memoryRefusal(
    needed,
    pageMemoryLimit(deviceMemoryGiB),
    'lower the iterations or the number of outputs',
  );
  return refusal && `${refusal[0]!.toUpperCase()}${refusal.slice(1)}.`;
}
