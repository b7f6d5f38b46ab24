import type { QuantileTables } from '../distributions/tabulate';
import type { Moments } from '../moments';
import type { BinPlan, ValueRanges } from '../order-statistics';
import type { OutputStatistics } from '../statistics';
import type { SimulationSummary } from '../summary';
import type { MomentPiece } from './block-moments';
import type { ConvergenceTrace } from './convergence-trace';
import type { Partition } from './partition';

/**
 * The CPU engine's messages between a pool and its workers, the same in the app (Web Workers) and
 * in the CLI (worker threads): a pool sends a request with an id and gets progress, then one
 * final reply, with that id.
 */

/** What one worker is asked to run: its partition of a run, by index in the run. */
export interface PartitionJob extends Partition {
  seed: number;
  sampling: 'mc' | 'lhs';
  /** Iterations in the whole run (Latin Hypercube strata span the whole run). */
  total: number;
  /** The run keeps the first this-many iterations of every input; this partition keeps its share. */
  keepInputs: number;
  /** Iteration number of the run's index 0 (the CLI's auto-stop continues a run in rounds); 0 when absent. */
  offset?: number;
}

/** Whole-run arrays in memory every thread shares (Node's worker threads): each partition writes its place. */
export interface SharedRun {
  outputs: Record<string, SharedArrayBuffer>;
  /** The kept iterations of every input (none when the run keeps none). */
  inputs: Record<string, SharedArrayBuffer>;
}

/** Pieces of a run's values, in iteration order: partitions, or slices of a GPU result. */
export interface SummaryPieces {
  outputs: Record<string, Float64Array[]>;
  /** The moments of each piece of `outputs`, computed where it was produced. */
  moments?: Record<string, Moments[]>;
  inputs: Record<string, Float64Array[]>;
  /** Statistics already computed (by the GPU, or by the CPU engine's workers), used as they are: `outputs` then holds only the kept iterations. */
  statistics?: Record<string, OutputStatistics>;
}

/**
 * Pool → worker. `simulate` runs a partition; with `hold` the worker keeps its values for the
 * statistics passes that follow (count the values into bins, give each bin's value range, hand
 * back the values of the bins that hold a wanted rank) and sends back only the kept iterations;
 * without, it sends its values (and keeps nothing). Values written to `shared` memory are never sent.
 * `summarize` builds a run's summary from its pieces (the app's statistics worker).
 */
export type EngineRequest = { id: number } & (
  | {
      kind: 'simulate';
      model: unknown;
      job: PartitionJob;
      hold: boolean;
      /** The quantile tables the pool built when it compiled the model, so workers need not solve them again. */
      tables?: QuantileTables;
      shared?: SharedRun;
    }
  | { kind: 'count'; plans: Record<string, BinPlan> }
  | { kind: 'range'; plans: Record<string, BinPlan> }
  | { kind: 'collect'; plans: Record<string, BinPlan>; wanted: Record<string, Uint8Array> }
  | { kind: 'summarize'; pieces: SummaryPieces }
);

/** Worker → pool: progress, then one final reply, for the request with that id. */
export type EngineReply = { id: number } & (
  | { kind: 'progress'; done: number }
  | {
      kind: 'simulated';
      /** Each output's moments in pieces (block-moments.ts). */
      moments: Record<string, MomentPiece[]>;
      /** This partition's values; only its kept iterations when held; none when written to shared memory. */
      outputs: Record<string, Float64Array>;
      /** This partition's share of the kept input samples (none when written to shared memory). */
      inputs: Record<string, Float64Array>;
      philox: 'webassembly' | 'javascript';
    }
  | { kind: 'counted'; counts: Record<string, Uint32Array> }
  | { kind: 'ranged'; ranges: Record<string, ValueRanges> }
  | { kind: 'collected'; collected: Record<string, Float64Array> }
  | { kind: 'summarized'; summary: SimulationSummary; traces: Record<string, ConvergenceTrace> }
  | { kind: 'failed'; message: string }
);

/** A request without its id (the sender numbers it). */
export type EngineJob = EngineRequest extends infer R ? (R extends EngineRequest ? Omit<R, 'id'> : never) : never;

/** A final reply of one kind. */
export type ReplyOf<K extends EngineReply['kind']> = Extract<EngineReply, { kind: K }>;

/** The buffers to transfer (not copy) with a message; shared memory is never among them. */
export function buffersOf(
  ...records: Record<string, ArrayBufferView | ArrayBufferView[] | MomentPiece[] | ValueRanges>[]
): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const add = (view: ArrayBufferView) => {
    if (view.buffer instanceof ArrayBuffer) buffers.add(view.buffer);
  };
  for (const record of records) {
    for (const value of Object.values(record)) {
      if (ArrayBuffer.isView(value)) add(value);
      else if (Array.isArray(value)) {
        for (const item of value) {
          if (ArrayBuffer.isView(item)) add(item);
          else if ('values' in item) add(item.values);
        }
      } else for (const array of [value.low, value.high, value.zeros]) add(array);
    }
  }
  return [...buffers];
}
