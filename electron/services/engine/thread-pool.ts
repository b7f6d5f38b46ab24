import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CompiledModel } from '../../../common/engine/compile-model';
import type { EngineJob, EngineReply, EngineRequest } from '../../../common/engine/cpu/messages';
import { planPartitions } from '../../../common/engine/cpu/partition';
import { runOnWorkers, type EngineWorkers } from '../../../common/engine/cpu/run-on-workers';
import { quantileTables } from '../../../common/engine/distributions/tabulate';
import type { Moments } from '../../../common/engine/moments';
import type { SimulationValues } from '../../../common/engine/simulate-cpu';
import type { OutputStatistics } from '../../../common/engine/statistics';

/** A worker thread starts for one run: below this many iterations another one costs more than it saves. */
const MIN_ITERATIONS_PER_THREAD = 50_000;

/** How many worker threads a run of this many iterations starts (one per partition). */
export function threadsFor(iterations: number, workers = availableParallelism()): number {
  return planPartitions(iterations, workers, MIN_ITERATIONS_PER_THREAD).length;
}

/**
 * The CPU engine's transport in Node (the CLI, the services, the benchmark): one worker thread per
 * partition, each answering one message at a time, started on first use and ended with the run.
 * The engine itself (common/engine/cpu) is the app's; only the messages travel differently.
 */
class WorkerThreads implements EngineWorkers {
  readonly size: number;
  readonly minimumPerWorker = MIN_ITERATIONS_PER_THREAD;
  readonly #path: string;
  readonly #threads: { worker: Worker; failure: Error | null }[] = [];
  readonly #pending = new Map<
    number,
    { onReply: (reply: EngineReply) => void; reject: (error: Error) => void; thread: number }
  >();
  #nextId = 1;

  constructor(path: string, size: number) {
    this.#path = path;
    this.size = Math.max(1, Math.floor(size));
  }

  #thread(index: number) {
    let thread = this.#threads[index];
    if (!thread) {
      const worker = new Worker(this.#path);
      const started = { worker, failure: null as Error | null };
      worker.on('message', (reply: EngineReply) => this.#pending.get(reply.id)?.onReply(reply));
      worker.on('error', (error) => {
        started.failure = error;
        for (const [id, pending] of this.#pending)
          if (pending.thread === index) {
            this.#pending.delete(id);
            pending.reject(error);
          }
      });
      this.#threads[index] = thread = started;
    }
    return thread;
  }

  send(
    index: number,
    job: EngineJob,
    transfer: ArrayBuffer[],
    onProgress?: (done: number) => void,
  ): Promise<EngineReply> {
    const thread = this.#thread(index);
    if (thread.failure) return Promise.reject(thread.failure);
    const id = this.#nextId++;
    return new Promise<EngineReply>((resolve, reject) => {
      this.#pending.set(id, {
        thread: index,
        reject,
        onReply: (reply) => {
          if (reply.kind === 'progress') return onProgress?.(reply.done);
          this.#pending.delete(id);
          if (reply.kind === 'failed') reject(new Error(`engine worker failed: ${reply.message}`));
          else resolve(reply);
        },
      });
      thread.worker.postMessage({ ...job, id } as EngineRequest, transfer);
    });
  }

  close(): void {
    for (const thread of this.#threads) void thread?.worker.terminate();
  }
}

/**
 * Runs a simulation on every core: the iterations are cut into one partition per worker thread,
 * and each worker writes its partition of shared result arrays. The RNG is counter-based, so the
 * result is identical, value for value, to a single-threaded run with the same seed. The workers
 * then compute every output's statistics together (common/engine/cpu: the app's engine, so the
 * same run gives bit-identical statistics in the app).
 */
export async function simulateOnAllCores(
  compiled: CompiledModel,
  options: {
    iterations: number;
    seed: number;
    sampling: 'mc' | 'lhs';
    keepInputs: number;
    workerPath: string;
    workers?: number;
    firstIteration?: number;
  },
): Promise<SimulationValues & { moments: Record<string, Moments>; statistics: Record<string, OutputStatistics> }> {
  const { iterations } = options;
  const shared = (n: number) => new SharedArrayBuffer(n * Float64Array.BYTES_PER_ELEMENT);
  const outputs = Object.fromEntries(compiled.outputs.map((name) => [name, shared(iterations)]));
  const keep = Math.min(iterations, options.keepInputs);
  const inputs = keep > 0 ? Object.fromEntries(compiled.inputs.map((input) => [input.name, shared(keep)])) : {};
  const threads = new WorkerThreads(options.workerPath, options.workers ?? availableParallelism());
  try {
    const run = await runOnWorkers(threads, compiled, {
      iterations,
      seed: options.seed,
      sampling: options.sampling,
      keepInputs: keep,
      ...(options.firstIteration ? { firstIteration: options.firstIteration } : {}),
      shared: { outputs, inputs },
      tables: quantileTables(),
    });
    const view = (buffers: Record<string, SharedArrayBuffer>) =>
      Object.fromEntries(Object.entries(buffers).map(([name, buffer]) => [name, new Float64Array(buffer)]));
    return {
      outputs: view(outputs),
      moments: run.moments,
      statistics: run.statistics,
      ...(keep > 0 ? { inputs: view(inputs) } : {}),
    };
  } finally {
    threads.close();
  }
}
