import type { AnalysisCall, AnalysisName, AnalysisReply, AnalysisRequest, AnalysisResult } from './analysis-messages';
import type { RunSamples } from './run-samples';

/**
 * The page's side of the analysis worker (analysis-worker-core.ts), whatever carries its messages
 * (renderer/engine/analysis-client.ts gives it a Web Worker; the unit tests a worker thread). Each
 * run's samples go to the worker once, as a compact copy (the page keeps its own, for the CSV); a
 * run no longer kept is dropped there. Requests are answered by id; in a slot (one view), a newer
 * request supersedes an older one still waiting, and the same request asked twice is sent once.
 */

/** An analysis as a view asks for it: its sample arguments name the RunSamples themselves. */
export type PageAnalysisCall<K extends AnalysisName = AnalysisName> = AnalysisCall<K, RunSamples>;

/** A column of a run, as an analysis argument. */
export const sampleOf = (run: RunSamples, side: 'inputs' | 'outputs', name: string, limit?: number) =>
  ({ ref: 'sample', run, side, name, ...(limit === undefined ? {} : { limit }) }) as const;

/** Every column of one side of a run, as an analysis argument. */
export const columnsOf = (run: RunSamples, side: 'inputs' | 'outputs', limit?: number) =>
  ({ ref: 'columns', run, side, ...(limit === undefined ? {} : { limit }) }) as const;

/** The answer to a request that a newer one in the same slot replaced before it was sent. */
export class AnalysisSupersededError extends Error {
  constructor() {
    super('A newer analysis replaced this one.');
    this.name = 'AnalysisSupersededError';
  }
}

/** One view's requests: only its latest waits for the worker. */
export class AnalysisSlot {
  latest = 0;
  running: Promise<unknown> | null = null;
}

/** The analysis worker as the client sees it (a Web Worker in the app). */
export interface AnalysisWorkerPort {
  postMessage(request: AnalysisRequest, transfer: ArrayBuffer[]): void;
  listen(onReply: (reply: AnalysisReply) => void, onError: (message: string) => void): void;
  terminate(): void;
}

/** A compact copy of a run's samples and its buffers to transfer (a column that is also an input is copied once). */
function compactCopy(samples: RunSamples): { samples: RunSamples; transfer: ArrayBuffer[] } {
  // slice(), not the array itself: a structured clone of a subarray view would clone its whole buffer.
  const copies = new Map<Float64Array, Float64Array>();
  const copy = (values: Float64Array) => {
    let made = copies.get(values);
    if (!made) copies.set(values, (made = values.slice()));
    return made;
  };
  const side = (columns: Record<string, Float64Array>) =>
    Object.fromEntries(Object.entries(columns).map(([name, values]) => [name, copy(values)]));
  const copied = { iterations: samples.iterations, inputs: side(samples.inputs), outputs: side(samples.outputs) };
  return { samples: copied, transfer: [...copies.values()].map((c) => c.buffer as ArrayBuffer) };
}

export class AnalysisClient {
  readonly #start: () => AnalysisWorkerPort;
  #worker: AnalysisWorkerPort | null = null;
  /** The page's id of each run it has seen (kept for the object's life: the same id when sent again). */
  readonly #ids = new WeakMap<RunSamples, string>();
  /** Runs the worker holds now, by id. */
  readonly #held = new Map<string, RunSamples>();
  /** How many keepers each run has; at none, it is dropped from the worker. */
  readonly #kept = new Map<RunSamples, number>();
  readonly #pending = new Map<number, { resolve(result: unknown): void; reject(error: Error): void }>();
  /** Requests sent and not yet answered, by what they ask: the same one asked again shares the answer. */
  readonly #inFlight = new Map<string, Promise<unknown>>();
  #nextRun = 1;
  #nextId = 1;

  constructor(start: () => AnalysisWorkerPort) {
    this.#start = start;
  }

  #port(): AnalysisWorkerPort {
    if (this.#worker) return this.#worker;
    const worker = this.#start();
    worker.listen(
      (reply) => {
        const pending = this.#pending.get(reply.id);
        this.#pending.delete(reply.id);
        if (reply.kind === 'analysis.done') pending?.resolve(reply.result);
        else pending?.reject(new Error(reply.message));
      },
      (message) => this.#stop(new Error(`The analysis worker stopped: ${message || 'it could not start'}.`)),
    );
    return (this.#worker = worker);
  }

  #id(samples: RunSamples): string {
    let id = this.#ids.get(samples);
    if (!id) this.#ids.set(samples, (id = `run-${this.#nextRun++}`));
    return id;
  }

  /** The call with each RunSamples replaced by its id, the runs it names sent to the worker first where it lacks them. */
  #wire(value: unknown, send: boolean): unknown {
    if (Array.isArray(value)) return value.map((v) => this.#wire(v, send));
    if (value === null || typeof value !== 'object') return value;
    if ('ref' in value && 'run' in value) {
      const samples = value.run as RunSamples;
      const id = this.#id(samples);
      if (send && !this.#held.has(id)) {
        const { samples: copy, transfer } = compactCopy(samples);
        this.#port().postMessage({ kind: 'analysis.hold', run: id, samples: copy }, transfer);
        this.#held.set(id, samples);
      }
      return { ...value, run: id };
    }
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, this.#wire(v, send)]));
  }

  /**
   * Computes `call` in the worker. In `slot`, a request made while an earlier one is running waits
   * for it, and is superseded (AnalysisSupersededError) if a newer one comes meanwhile; the same
   * request asked again while it runs shares its answer.
   */
  async run<K extends AnalysisName>(call: PageAnalysisCall<K>, slot?: AnalysisSlot): Promise<AnalysisResult<K>> {
    const key = JSON.stringify(this.#wire(call, false));
    const token = slot ? ++slot.latest : 0;
    const shared = this.#inFlight.get(key);
    if (shared) return shared as Promise<AnalysisResult<K>>;
    if (slot?.running) {
      await slot.running.catch(() => undefined);
      if (token !== slot.latest) throw new AnalysisSupersededError();
      const now = this.#inFlight.get(key);
      if (now) return now as Promise<AnalysisResult<K>>;
    }
    const request = new Promise<unknown>((resolve, reject) => {
      const wire = this.#wire(call, true) as AnalysisCall;
      const id = this.#nextId++;
      this.#pending.set(id, { resolve, reject });
      this.#port().postMessage({ kind: 'analysis.run', id, call: wire }, []);
    });
    this.#inFlight.set(key, request);
    if (slot) slot.running = request;
    const settled = () => {
      if (this.#inFlight.get(key) === request) this.#inFlight.delete(key);
      if (slot?.running === request) slot.running = null;
    };
    request.then(settled, settled);
    return request as Promise<AnalysisResult<K>>;
  }

  /**
   * Keeps these runs' samples in the worker until the returned release is called; a run with no
   * keeper left is dropped there (a moment later, so a re-render that keeps it again costs nothing).
   */
  keep(runs: readonly RunSamples[]): () => void {
    for (const samples of runs) this.#kept.set(samples, (this.#kept.get(samples) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const samples of runs) {
        const count = (this.#kept.get(samples) ?? 1) - 1;
        if (count > 0) {
          this.#kept.set(samples, count);
          continue;
        }
        this.#kept.delete(samples);
        // After this turn's work: React releases and keeps again within one commit (a re-render, StrictMode).
        void Promise.resolve().then(() => {
          if (this.#kept.has(samples)) return;
          const id = this.#ids.get(samples);
          if (id === undefined || !this.#held.delete(id)) return;
          this.#worker?.postMessage({ kind: 'analysis.drop', run: id }, []);
        });
      }
    };
  }

  /** Runs the worker holds (what the page has sent and not dropped). */
  get heldRuns(): number {
    return this.#held.size;
  }

  #stop(error: Error): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.#held.clear();
    this.#inFlight.clear();
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const request of pending) request.reject(error);
  }

  /** Ends the worker and all it holds; what was waiting fails. The next request starts a new one. */
  stop(): void {
    this.#stop(new Error('The analyses were stopped.'));
  }
}
