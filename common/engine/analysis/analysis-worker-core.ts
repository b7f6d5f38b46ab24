import type {
  AnalysisCall,
  AnalysisFunctions,
  AnalysisReply,
  AnalysisRequest,
  ColumnsRef,
  SampleRef,
} from './analysis-messages';
import { compareSeries } from './comparison';
import { convergence } from './convergence';
import type { RunSamples } from './run-samples';
import { scatter } from './scatter';
import { tailDrivers } from './tail-drivers';
import { binnedStatistics, tornado } from './tornado';

/** The analyses by name: the only functions a request can reach. */
export const ANALYSES: AnalysisFunctions = {
  compareSeries,
  convergence,
  scatter,
  tailDrivers,
  tornado,
  binnedStatistics,
};

interface HeldRun {
  samples: RunSamples;
  /** Leading views made once per column and limit, so the rank cache (keyed by array) serves every request. */
  views: Map<string, Float64Array>;
}

/**
 * What the analysis worker does, whatever carries its messages (the engine's Web Worker in the
 * app, a direct call in the unit tests): it holds runs' samples by the page's id for them, and
 * computes an analysis by name with its sample references resolved against what it holds. A
 * failure (a bad argument, a run no longer held) is a reply with the message, never a throw.
 */
export class AnalysisWorkerCore {
  readonly #runs = new Map<string, HeldRun>();

  /** The reply to a request; null for those that need none (hold, column, drop). */
  answer(request: AnalysisRequest): AnalysisReply | null {
    switch (request.kind) {
      case 'analysis.hold':
        this.#runs.set(request.run, {
          // No prototype: a column's name is only ever a key.
          samples: { iterations: request.iterations, inputs: Object.create(null), outputs: Object.create(null) },
          views: new Map(),
        });
        return null;
      case 'analysis.column': {
        // A column for a run dropped while it was on its way is let go.
        const held = this.#runs.get(request.run);
        for (const place of held ? request.places : [])
          held!.samples[this.#side(place.side)][place.name] = request.values;
        return null;
      }
      case 'analysis.drop':
        this.#runs.delete(request.run);
        return null;
      case 'analysis.run':
        try {
          return { kind: 'analysis.done', id: request.id, result: this.compute(request.call) };
        } catch (error) {
          return {
            kind: 'analysis.failed',
            id: request.id,
            message: error instanceof Error ? error.message : String(error),
          };
        }
      default:
        throw new Error(`The analysis worker has no request "${(request as { kind: string }).kind}".`);
    }
  }

  /** How many runs it holds (what a drop frees). */
  get heldRuns(): number {
    return this.#runs.size;
  }

  /** The analysis `call` names, on its arguments with every reference resolved. */
  compute(call: AnalysisCall): unknown {
    const name = call.analysis as string;
    if (!Object.hasOwn(ANALYSES, name)) throw new Error(`There is no analysis named "${name}".`);
    const analysis = ANALYSES[name as keyof AnalysisFunctions] as (...args: unknown[]) => unknown;
    if (!Array.isArray(call.args)) throw new Error(`The arguments of ${name} must be a list.`);
    return analysis(...call.args.map((arg) => this.#resolve(arg)));
  }

  #resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.#resolve(v));
    if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
    const ref = (value as { ref?: unknown }).ref;
    if (ref === 'sample') return this.#sample(value as SampleRef);
    if (ref === 'columns') return this.#columns(value as ColumnsRef);
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, this.#resolve(v)]));
  }

  #held(run: string): HeldRun {
    const held = this.#runs.get(run);
    if (!held) throw new Error(`The samples of run ${run} are no longer held by the analysis worker.`);
    return held;
  }

  #view(held: HeldRun, side: 'inputs' | 'outputs', name: string, limit: number | undefined): Float64Array {
    const column = Object.hasOwn(held.samples[side], name) ? held.samples[side][name] : undefined;
    if (!column) throw new Error(`The run has no ${side === 'inputs' ? 'input' : 'output'} named "${name}".`);
    if (limit === undefined || limit >= column.length) return column;
    if (!(Number.isInteger(limit) && limit >= 0))
      throw new Error(`An iteration limit must be a whole number of at least 0, not ${limit}.`);
    const key = `${side}\u0000${name}\u0000${limit}`;
    let view = held.views.get(key);
    if (!view) held.views.set(key, (view = column.subarray(0, limit)));
    return view;
  }

  #side(side: unknown): 'inputs' | 'outputs' {
    if (side !== 'inputs' && side !== 'outputs')
      throw new Error(`A sample is an input or an output, not ${String(side)}.`);
    return side;
  }

  #sample(ref: SampleRef): Float64Array {
    return this.#view(this.#held(ref.run), this.#side(ref.side), ref.name, ref.limit);
  }

  #columns(ref: ColumnsRef): Record<string, Float64Array> {
    const held = this.#held(ref.run);
    const side = this.#side(ref.side);
    return Object.fromEntries(
      Object.keys(held.samples[side]).map((name) => [name, this.#view(held, side, name, ref.limit)]),
    );
  }
}
