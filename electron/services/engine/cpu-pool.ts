import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CompiledModel } from '../../../common/engine/compile-model';
import type { SimulationValues } from '../../../common/engine/simulate-cpu';
import { mergeSortedRuns } from '../../../common/engine/merge-sorted';

export { mergeSortedRuns };

export interface PartitionJob {
  model: unknown;
  seed: number;
  sampling: 'mc' | 'lhs';
  /** Where this partition starts in the result arrays. */
  first: number;
  /** Iteration number of result index 0 (auto-stop continues a run in rounds). */
  offset: number;
  count: number;
  total: number;
  keepInputs: number;
  outputs: Record<string, SharedArrayBuffer>;
  inputs: Record<string, SharedArrayBuffer>;
  /** Each worker also writes its partition of every output sorted here, so sorting runs on every core. */
  sorted: Record<string, SharedArrayBuffer>;
}

/**
 * Runs a simulation on every core: the iterations are cut into one partition per worker thread,
 * and each worker writes its partition of shared result arrays. The RNG is counter-based, so the
 * result is identical, value for value, to a single-threaded run with the same seed.
 */
export async function simulateOnAllCores(
  compiled: CompiledModel,
  options: { iterations: number; seed: number; sampling: 'mc' | 'lhs'; keepInputs: number; workerPath: string; workers?: number; firstIteration?: number },
): Promise<SimulationValues & { sorted: Record<string, Float64Array> }> {
  const { iterations } = options;
  const count = Math.max(1, Math.min(options.workers ?? availableParallelism(), Math.ceil(iterations / 50_000)));
  const shared = (n: number) => new SharedArrayBuffer(n * Float64Array.BYTES_PER_ELEMENT);
  const outputs = Object.fromEntries(compiled.outputs.map((name) => [name, shared(iterations)]));
  const keep = Math.min(iterations, options.keepInputs);
  const inputs = keep > 0 ? Object.fromEntries(compiled.inputs.map((input) => [input.name, shared(keep)])) : {};
  const sorted = Object.fromEntries(compiled.outputs.map((name) => [name, shared(iterations)]));
  const runs: [number, number][] = [];
  const size = Math.ceil(iterations / count);
  const jobs: Promise<void>[] = [];
  for (let w = 0; w < count; w++) {
    const first = w * size;
    const job: PartitionJob = {
      model: compiled.model,
      seed: options.seed,
      sampling: options.sampling,
      first,
      offset: options.firstIteration ?? 0,
      count: Math.min(size, iterations - first),
      total: iterations,
      keepInputs: keep,
      outputs,
      inputs,
      sorted,
    };
    runs.push([first, first + job.count]);
    jobs.push(
      new Promise<void>((resolve, reject) => {
        const worker = new Worker(options.workerPath);
        worker.once('message', (reply: { ok: boolean; message?: string }) => {
          void worker.terminate();
          if (reply.ok) resolve();
          else reject(new Error(`engine worker failed: ${reply.message}`));
        });
        worker.once('error', reject);
        worker.postMessage(job);
      }),
    );
  }
  await Promise.all(jobs);
  return {
    outputs: Object.fromEntries(Object.entries(outputs).map(([name, buffer]) => [name, new Float64Array(buffer)])),
    sorted: Object.fromEntries(Object.entries(sorted).map(([name, buffer]) => [name, mergeSortedRuns(new Float64Array(buffer), runs)])),
    ...(keep > 0 ? { inputs: Object.fromEntries(Object.entries(inputs).map(([name, buffer]) => [name, new Float64Array(buffer)])) } : {}),
  };
}
