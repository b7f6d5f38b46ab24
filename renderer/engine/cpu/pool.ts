import type { CompiledModel } from '../../../common/engine/compile-model';
import type { Moments } from '../../../common/engine/moments';
import { RunCancelledError, type BackendRunOptions, type BackendValues, type SimulationBackend } from '../backend';
import { concatPieces } from './concat';
import { type WorkerJob, type WorkerReply, type WorkerRequest } from './messages';
import { planPartitions, type Partition } from './partition';
import { startEngineWorker } from './worker-url';

/** One partition's values, as its worker sent them back (transferred, not copied). */
export interface PartitionResult extends Partition {
  outputs: Record<string, Float64Array>;
  moments: Record<string, Moments>;
  inputs: Record<string, Float64Array>;
}

/** A request on its way: its progress and final-reply handlers, and how to fail it. */
interface Pending {
  onReply(reply: WorkerReply): void;
  reject(error: Error): void;
}

/**
 * The CPU backend: one module Web Worker per logical core, each running its partition of the
 * iterations (counter-based RNG, so the union equals a single-threaded run value for value).
 * Workers stay up between runs (the calibration's warm-up pays for their start and the model's
 * compilation); Cancel terminates them, and the next run starts new ones.
 */
export class CpuWorkerPool implements SimulationBackend {
  readonly kind = 'cpu' as const;
  readonly size: number;
  /** Which Philox loop the workers reported: WebAssembly, or JavaScript where the CSP refuses WebAssembly. */
  #philox: 'webassembly' | 'javascript' | null = null;
  #workers: (Worker | undefined)[] = [];
  /** Requests waiting on a reply, by id; one worker may hold several (they queue in its event loop). */
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;

  constructor(size = navigator.hardwareConcurrency || 2) {
    this.size = Math.max(1, Math.floor(size));
  }

  get description(): string {
    const philox = this.#philox ? `, Philox in ${this.#philox === 'webassembly' ? 'WebAssembly' : 'JavaScript'}` : '';
    return `CPU workers (${this.size}${philox})`;
  }

  #worker(index: number): Worker {
    let worker = this.#workers[index];
    if (!worker) {
      worker = startEngineWorker();
      worker.onmessage = (event: MessageEvent<WorkerReply>) => this.#pending.get(event.data.id)?.onReply(event.data);
      worker.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        // A worker that failed to load or threw outside a request is useless: start afresh next time.
        this.#stopAll(new Error(`A CPU engine worker stopped: ${event.message || 'it could not start'}.`));
      };
      this.#workers[index] = worker;
    }
    return worker;
  }

  /** Stops every worker at once (mid-chunk included) and fails whatever was waiting on them. */
  #stopAll(error: Error): void {
    for (const worker of this.#workers) worker?.terminate();
    this.#workers = [];
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const request of pending) request.reject(error);
  }

  /** Sends one request to worker `index` and waits for its final reply; progress replies go to `onProgress`. */
  #send(
    index: number,
    job: WorkerJob,
    transfer: Transferable[],
    onProgress?: (done: number) => void,
  ): Promise<WorkerReply> {
    const worker = this.#worker(index);
    const id = this.#nextId++;
    return new Promise<WorkerReply>((resolve, reject) => {
      this.#pending.set(id, {
        reject,
        onReply: (reply) => {
          if (reply.type === 'progress') return onProgress?.(reply.done);
          this.#pending.delete(id);
          if (reply.type === 'failed') reject(new Error(`A CPU engine worker failed: ${reply.message}`));
          else resolve(reply);
        },
      });
      worker.postMessage({ ...job, id } as WorkerRequest, transfer);
    });
  }

  /** Runs `work` with Cancel wired to terminate every worker. */
  async #cancellable<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    if (signal?.aborted) throw new RunCancelledError();
    const onAbort = () => this.#stopAll(new RunCancelledError());
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await work();
    } catch (error) {
      // One worker failing fails the run: stop the others rather than let them finish for nothing.
      if (!(error instanceof RunCancelledError)) this.#stopAll(error as Error);
      throw error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Starts every worker and compiles the model in each (a tiny run each), so a timed run measures the simulation alone. */
  warmUp(compiled: CompiledModel, signal?: AbortSignal): Promise<void> {
    const job = { first: 0, count: 1024, seed: 1, sampling: 'mc' as const, total: 1024, keepInputs: 0 };
    return this.#cancellable(signal, async () => {
      await Promise.all(
        Array.from({ length: this.size }, (_, index) =>
          this.#send(index, { type: 'simulate', model: compiled.model, job }, []),
        ),
      );
    });
  }

  /** Runs the simulation in partitions; each comes back with its outputs' moments. */
  runPartitions(compiled: CompiledModel, options: BackendRunOptions): Promise<PartitionResult[]> {
    const partitions = planPartitions(options.iterations, this.size);
    const done = partitions.map(() => 0);
    const report = () =>
      options.onProgress?.(
        done.reduce((a, b) => a + b, 0),
        options.iterations,
      );
    return this.#cancellable(options.signal, () =>
      Promise.all(
        partitions.map(async (partition, index) => {
          const job = {
            ...partition,
            seed: options.seed,
            sampling: options.sampling,
            total: options.iterations,
            keepInputs: Math.min(options.keepInputs, options.iterations),
          };
          const reply = await this.#send(index, { type: 'simulate', model: compiled.model, job }, [], (count) => {
            done[index] = count;
            report();
          });
          if (reply.type !== 'simulated')
            throw new Error(`A CPU engine worker answered ${reply.type} to a simulation.`);
          this.#philox = reply.philox;
          return { ...partition, outputs: reply.outputs, moments: reply.moments, inputs: reply.inputs };
        }),
      ),
    );
  }

  async run(compiled: CompiledModel, options: BackendRunOptions): Promise<BackendValues> {
    const parts = await this.runPartitions(compiled, options);
    const join = (pick: (p: PartitionResult) => Record<string, Float64Array>, names: string[]) =>
      Object.fromEntries(
        names.map((name) => [name, concatPieces(parts.map(pick).flatMap((r) => (r[name] ? [r[name]] : [])))]),
      );
    const kept = Object.keys(parts[0]?.inputs ?? {});
    return { outputs: join((p) => p.outputs, compiled.outputs), inputs: join((p) => p.inputs, kept) };
  }

  dispose(): void {
    this.#stopAll(new Error('The CPU worker pool was closed.'));
  }
}
