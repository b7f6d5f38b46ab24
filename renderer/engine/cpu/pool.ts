import type { CompiledModel } from '../../../common/engine/compile-model';
import type { EngineJob, EngineReply, EngineRequest, SummaryPieces } from '../../../common/engine/cpu/messages';
import {
  joinPartitions,
  runOnWorkersInPieces,
  simulateOnWorkers,
  type EngineWorkers,
} from '../../../common/engine/cpu/run-on-workers';
import { RunCancelledError, type BackendRunOptions, type BackendValues, type SimulationBackend } from '../backend';

/**
 * One started engine worker, as the pool sees it: worker-url.ts's startEngineWorkerPort gives one
 * over a module Web Worker (no DOM type here, so the pool also runs from Node in the unit tests).
 */
export interface EngineWorkerPort {
  postMessage(request: EngineRequest, transfer: ArrayBuffer[]): void;
  /** Replies go to `onReply`; a worker that fails to load or throws outside a request calls `onError`. */
  listen(onReply: (reply: EngineReply) => void, onError: (message: string) => void): void;
  terminate(): void;
}

/** A request on its way: its progress and final-reply handlers, and how to fail it. */
interface Pending {
  onReply(reply: EngineReply): void;
  reject(error: Error): void;
}

/**
 * The CPU backend: the CPU engine of common/engine/cpu on one module Web Worker per logical core,
 * each running its partition of the iterations (counter-based RNG, so the union equals a
 * single-threaded run value for value) and the statistics passes over it. Workers stay up between
 * runs (the calibration's warm-up pays for their start and the model's compilation); Cancel
 * terminates them, and the next run starts new ones.
 */
export class CpuWorkerPool implements SimulationBackend, EngineWorkers {
  readonly kind = 'cpu' as const;
  readonly size: number;
  /** Which Philox loop the workers reported: WebAssembly, or JavaScript where the CSP refuses WebAssembly. */
  #philox: 'webassembly' | 'javascript' | null = null;
  readonly #start: () => EngineWorkerPort;
  #workers: (EngineWorkerPort | undefined)[] = [];
  /** Requests waiting on a reply, by id; one worker may hold several (they queue in its event loop). */
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;

  /** `start` starts one engine worker (worker-url.ts's startEngineWorkerPort in the app). */
  constructor(size: number, start: () => EngineWorkerPort) {
    this.size = Math.max(1, Math.floor(size));
    this.#start = start;
  }

  get description(): string {
    const philox = this.#philox ? `, Philox in ${this.#philox === 'webassembly' ? 'WebAssembly' : 'JavaScript'}` : '';
    return `CPU workers (${this.size}${philox})`;
  }

  #worker(index: number): EngineWorkerPort {
    let worker = this.#workers[index];
    if (!worker) {
      worker = this.#start();
      worker.listen(
        (reply) => this.#pending.get(reply.id)?.onReply(reply),
        // A worker that failed to load or threw outside a request is useless: start afresh next time.
        (message) => this.#stopAll(new Error(`A CPU engine worker stopped: ${message || 'it could not start'}.`)),
      );
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
  send(
    index: number,
    job: EngineJob,
    transfer: ArrayBuffer[],
    onProgress?: (done: number) => void,
  ): Promise<EngineReply> {
    const worker = this.#worker(index);
    const id = this.#nextId++;
    return new Promise<EngineReply>((resolve, reject) => {
      this.#pending.set(id, {
        reject,
        onReply: (reply) => {
          if (reply.kind === 'progress') return onProgress?.(reply.done);
          this.#pending.delete(id);
          if (reply.kind === 'failed') reject(new Error(`A CPU engine worker failed: ${reply.message}`));
          else {
            if (reply.kind === 'simulated') this.#philox = reply.philox;
            resolve(reply);
          }
        },
      });
      worker.postMessage({ ...job, id } as EngineRequest, transfer);
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
          this.send(index, { kind: 'simulate', model: compiled.model, job, hold: false }, []),
        ),
      );
    });
  }

  /**
   * A run for its summary: each worker keeps its partition and computes, with the others, every
   * output's moments and exact statistics; only the kept iterations come back to the page, with
   * the statistics, as the pieces of the summary the statistics worker builds (summary-client.ts).
   */
  async runForSummary(compiled: CompiledModel, options: BackendRunOptions): Promise<SummaryPieces> {
    // The kept iterations stay in their partitions' pieces: joining them is the statistics worker's.
    const run = await this.#cancellable(options.signal, () => runOnWorkersInPieces(this, compiled, options));
    return { outputs: run.outputs, inputs: run.inputs, statistics: run.statistics };
  }

  /** Every value of the run, back on the page (the calibration's timed run). */
  async run(compiled: CompiledModel, options: BackendRunOptions): Promise<BackendValues> {
    const parts = await this.#cancellable(options.signal, () => simulateOnWorkers(this, compiled, options, false));
    const kept = Object.keys(parts[0]?.reply.inputs ?? {});
    return {
      outputs: joinPartitions(parts, (r) => r.outputs, compiled.outputs),
      inputs: joinPartitions(parts, (r) => r.inputs, kept),
    };
  }

  dispose(): void {
    this.#stopAll(new Error('The CPU worker pool was closed.'));
  }
}
