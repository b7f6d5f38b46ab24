import type { Moments } from '../../../common/engine/moments';
import type { SimulationReport } from '../../../common/engine/summary';
import type { OutputStatistics } from '../../../common/engine/statistics';
import type { PartitionJob } from './run-partition';

/** Pieces of a run's values, in iteration order: partitions from the pool, or slices of a GPU result. */
export interface ReportPieces {
  outputs: Record<string, Float64Array[]>;
  /** The moments of each piece of `outputs`, computed where it was produced (absent for a GPU result). */
  moments?: Record<string, Moments[]>;
  inputs: Record<string, Float64Array[]>;
  /** Statistics already computed (by the GPU), used as they are: `outputs` then holds only the kept iterations. */
  statistics?: Record<string, OutputStatistics>;
}

/** Page → engine worker. The id comes back on every reply, so requests may queue in a worker. */
export type WorkerRequest = { id: number } & (
  { type: 'simulate'; model: unknown; job: PartitionJob } | { type: 'report'; pieces: ReportPieces }
);

/** Engine worker → page: progress, then one final reply, for the request with that id. */
export type WorkerReply = { id: number } & (
  | { type: 'progress'; done: number }
  | {
      type: 'simulated';
      outputs: Record<string, Float64Array>;
      moments: Record<string, Moments>;
      inputs: Record<string, Float64Array>;
      philox: 'webassembly' | 'javascript';
    }
  | { type: 'report'; report: SimulationReport }
  | { type: 'failed'; message: string }
);

/** A request without its id (the sender numbers it). */
export type WorkerJob = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

/** The buffers to transfer (not copy) with a message: the page is not cross-origin isolated, so no SharedArrayBuffer. */
export function buffersOf(...records: Record<string, Float64Array | Float64Array[]>[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const record of records) {
    for (const value of Object.values(record))
      for (const array of Array.isArray(value) ? value : [value]) buffers.add(array.buffer as ArrayBuffer);
  }
  return [...buffers];
}
