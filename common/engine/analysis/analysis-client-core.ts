import type {
  AnalysisCall,
  AnalysisName,
  AnalysisReply,
  AnalysisRequest,
  AnalysisResult,
  ColumnPlace,
} from './analysis-messages';
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

/**
 * Values copied per task when a run goes to the worker: a copy of a million-iteration run (56 MB)
 * in one go blocks the page for a few hundred milliseconds; in 1 MB slices, each task is short.
 */
export const COPY_SLICE = 131_072;

/** A run sent (or being sent) to the worker: `sent` settles when its last column is posted. */
interface Held {
  samples: RunSamples;
  sent: Promise<void>;
}

export class AnalysisClient {
  readonly #start: () => AnalysisWorkerPort;
  readonly #pause: () => Promise<void>;
  #worker: AnalysisWorkerPort | null = null;
  /** The page's id of each run it has seen (kept for the object's life: the same id when sent again). */
  readonly #ids = new WeakMap<RunSamples, string>();
  /** Runs the worker holds now (or is being sent), by id. */
  readonly #held = new Map<string, Held>();
  /** How many keepers each run has; at none, it is dropped from the worker. */
  readonly #kept = new Map<RunSamples, number>();
  readonly #pending = new Map<number, { resolve(result: unknown): void; reject(error: Error): void }>();
  /** Requests sent and not yet answered, by what they ask: the same one asked again shares the answer. */
  readonly #inFlight = new Map<string, Promise<unknown>>();
  #nextRun = 1;
  #nextId = 1;
  /** Counts stops: a request that waited on its runs across a stop fails rather than start a new worker. */
  #stops = 0;

  /** `start` starts a worker; `pause` lets the page do other work (a timer's turn) between copied slices. */
  constructor(start: () => AnalysisWorkerPort, pause: () => Promise<void>) {
    this.#start = start;
    this.#pause = pause;
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

  /** The call with each RunSamples replaced by its id (each one named added to `runs`). */
  #wire(value: unknown, runs?: Set<RunSamples>): unknown {
    if (Array.isArray(value)) return value.map((v) => this.#wire(v, runs));
    if (value === null || typeof value !== 'object') return value;
    if ('ref' in value && 'run' in value) {
      runs?.add(value.run as RunSamples);
      return { ...value, run: this.#id(value.run as RunSamples) };
    }
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, this.#wire(v, runs)]));
  }

  /** Sends a run to the worker unless it holds it (or it is on its way); settles when it is all posted. */
  #hold(samples: RunSamples): Promise<void> {
    const id = this.#id(samples);
    let held = this.#held.get(id);
    if (!held) {
      held = { samples, sent: Promise.resolve() };
      this.#held.set(id, held);
      held.sent = this.#send(id, held);
    }
    return held.sent;
  }

  /**
   * A compact copy of each column (a structured clone of a subarray view would clone its whole
   * buffer; the page keeps its own arrays, for the CSV), made a slice per task, each column
   * transferred to the worker once copied (an input that is also an output, once).
   */
  async #send(id: string, held: Held): Promise<void> {
    const port = this.#port();
    const { samples } = held;
    port.postMessage({ kind: 'analysis.hold', run: id, iterations: samples.iterations }, []);
    const places = new Map<Float64Array, ColumnPlace[]>();
    for (const side of ['inputs', 'outputs'] as const)
      for (const [name, values] of Object.entries(samples[side])) {
        const at = places.get(values) ?? [];
        at.push({ side, name });
        places.set(values, at);
      }
    for (const [values, at] of places) {
      const copy = new Float64Array(values.length);
      for (let start = 0; start < values.length; start += COPY_SLICE) {
        await this.#pause();
        // Stopped (lock) or dropped while copying: the rest is not needed.
        if (this.#worker !== port) throw new Error('The analyses were stopped.');
        if (this.#held.get(id) !== held) return;
        copy.set(values.subarray(start, start + COPY_SLICE), start);
      }
      if (this.#worker !== port) throw new Error('The analyses were stopped.');
      port.postMessage({ kind: 'analysis.column', run: id, places: at, values: copy }, [copy.buffer as ArrayBuffer]);
    }
  }

  /** Sends the runs `call` names (where the worker lacks them), then the request; its answer. */
  async #request(call: PageAnalysisCall): Promise<unknown> {
    const runs = new Set<RunSamples>();
    const wire = this.#wire(call, runs) as AnalysisCall;
    const stops = this.#stops;
    await Promise.all([...runs].map((samples) => this.#hold(samples)));
    if (this.#stops !== stops) throw new Error('The analyses were stopped.');
    const port = this.#port();
    return new Promise<unknown>((resolve, reject) => {
      const id = this.#nextId++;
      this.#pending.set(id, { resolve, reject });
      port.postMessage({ kind: 'analysis.run', id, call: wire }, []);
    });
  }

  /**
   * Computes `call` in the worker. In `slot`, a request made while an earlier one is running waits
   * for it, and is superseded (AnalysisSupersededError) if a newer one comes meanwhile; the same
   * request asked again while it runs shares its answer.
   */
  async run<K extends AnalysisName>(call: PageAnalysisCall<K>, slot?: AnalysisSlot): Promise<AnalysisResult<K>> {
    const key = JSON.stringify(this.#wire(call));
    const token = slot ? ++slot.latest : 0;
    const shared = this.#inFlight.get(key);
    if (shared) return shared as Promise<AnalysisResult<K>>;
    if (slot?.running) {
      await slot.running.catch(() => undefined);
      if (token !== slot.latest) throw new AnalysisSupersededError();
      const now = this.#inFlight.get(key);
      if (now) return now as Promise<AnalysisResult<K>>;
    }
    const request = this.#request(call as PageAnalysisCall);
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
    this.#stops++;
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
