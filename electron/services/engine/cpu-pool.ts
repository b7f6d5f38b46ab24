import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CompiledModel } from '../../../common/engine/compile-model';
import { mergeSortedRuns } from '../../../common/engine/merge-sorted';
import { combineMoments, type Moments } from '../../../common/engine/moments';
import {
  FINE_BINS,
  mergeValueRanges,
  pickRanks,
  singleValues,
  sortedRanks,
  toCollect,
  wantedBinsIfFew,
  type BinPlan,
  type ValueRanges,
} from '../../../common/engine/order-statistics';
import { quantileTables, type QuantileTables } from '../../../common/engine/distributions/tabulate';
import type { SimulationValues } from '../../../common/engine/simulate-cpu';
import { statisticsFrom, statisticsRanks, type OutputStatistics } from '../../../common/engine/statistics';

export { mergeSortedRuns };

export interface PartitionJob {
  kind: 'simulate';
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
  /** The quantile tables the caller built when it compiled the model, so workers need not solve them again. */
  tables: QuantileTables;
}

/**
 * After simulating, a worker counts its partition of each output into bins; for outputs whose
 * wanted bins are crowded, gives each bin's value range; then hands back the values in the bins
 * to collect.
 */
export type StatisticsRequest =
  | { kind: 'count'; plans: Record<string, BinPlan> }
  | { kind: 'range'; plans: Record<string, BinPlan> }
  | { kind: 'collect'; plans: Record<string, BinPlan>; wanted: Record<string, Uint8Array> };

export type WorkerReply =
  | { ok: true; moments: Record<string, Moments> }
  | { ok: true; counts: Record<string, Uint32Array> }
  | { ok: true; ranges: Record<string, ValueRanges> }
  | { ok: true; collected: Record<string, Float64Array> }
  | { ok: false; message: string };

/** One engine worker thread, answering one message at a time. */
class EngineWorker {
  readonly #worker: Worker;
  #failure: Error | null = null;
  #pending: { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void } | null = null;

  constructor(path: string) {
    this.#worker = new Worker(path);
    this.#worker.on('message', (reply: WorkerReply) => {
      const pending = this.#pending;
      this.#pending = null;
      if (!pending) return;
      if (reply.ok) pending.resolve(reply);
      else pending.reject(new Error(`engine worker failed: ${reply.message}`));
    });
    this.#worker.on('error', (error) => {
      this.#failure = error;
      this.#pending?.reject(error);
      this.#pending = null;
    });
  }

  ask<T extends WorkerReply>(message: PartitionJob | StatisticsRequest): Promise<T> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise<WorkerReply>((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.#worker.postMessage(message);
    }) as Promise<T>;
  }

  close(): void {
    void this.#worker.terminate();
  }
}

function sumCounts(parts: Uint32Array[]): Uint32Array {
  const total = new Uint32Array(FINE_BINS);
  for (const part of parts) for (let b = 0; b < FINE_BINS; b++) total[b]! += part[b]!;
  return total;
}

/**
 * Every output's statistics, with the passes over the values shared out: each worker counts its
 * partition into the fine bins, the counts are summed here, and each worker then hands back only
 * its values in the few bins that hold a wanted rank (order-statistics.ts). Where those bins are
 * crowded (a discrete output), the workers first give each bin's value range, and bins of a
 * single value are not collected. Exactly summarize's result.
 */
async function statisticsOnAllCores(
  workers: EngineWorker[],
  outputs: Record<string, Float64Array>,
  moments: Record<string, Moments>,
): Promise<Record<string, OutputStatistics>> {
  const names = Object.keys(outputs);
  const plans: Record<string, BinPlan> = {};
  for (const name of names)
    if (moments[name]!.n > 0 && moments[name]!.max > moments[name]!.min)
      plans[name] = { min: moments[name]!.min, max: moments[name]!.max };
  const counted = await Promise.all(
    workers.map((w) => w.ask<{ ok: true; counts: Record<string, Uint32Array> }>({ kind: 'count', plans })),
  );
  const fine: Record<string, Uint32Array> = {};
  const wanted: Record<string, Uint8Array> = {};
  const crowded: Record<string, BinPlan> = {};
  for (const name of Object.keys(plans)) {
    fine[name] = sumCounts(counted.map((reply) => reply.counts[name]!));
    const few = wantedBinsIfFew(fine[name]!, statisticsRanks(moments[name]!.n), moments[name]!.n);
    if (few) wanted[name] = few;
    else crowded[name] = plans[name]!;
  }
  const collect: Record<string, Uint8Array> = { ...wanted };
  const single: Record<string, Float64Array> = {};
  if (Object.keys(crowded).length > 0) {
    const ranged = await Promise.all(
      workers.map((w) => w.ask<{ ok: true; ranges: Record<string, ValueRanges> }>({ kind: 'range', plans: crowded })),
    );
    for (const name of Object.keys(crowded)) {
      single[name] = singleValues(mergeValueRanges(ranged.map((reply) => reply.ranges[name]!)));
      const few = wantedBinsIfFew(fine[name]!, statisticsRanks(moments[name]!.n), moments[name]!.n, single[name]);
      if (!few) continue;
      wanted[name] = few;
      collect[name] = toCollect(few, single[name]!);
    }
  }
  const collectPlans = Object.fromEntries(Object.keys(collect).map((name) => [name, plans[name]!]));
  const collected = Object.keys(collect).length
    ? await Promise.all(
        workers.map((w) =>
          w.ask<{ ok: true; collected: Record<string, Float64Array> }>({
            kind: 'collect',
            plans: collectPlans,
            wanted: collect,
          }),
        ),
      )
    : [];
  const statistics: Record<string, OutputStatistics> = {};
  for (const name of names) {
    const m = moments[name]!;
    const ranks = statisticsRanks(m.n);
    let at: Map<number, number>;
    if (wanted[name]) {
      const parts = collected.map((reply) => reply.collected[name]!);
      const all = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
      let at0 = 0;
      for (const part of parts) {
        all.set(part, at0);
        at0 += part.length;
      }
      at = pickRanks(fine[name]!, wanted[name]!, all.sort(), ranks, single[name]);
    } else at = sortedRanks(outputs[name]!, ranks); // one value, no values, or bins crowded with several values each
    statistics[name] = statisticsFrom(m, fine[name] ?? null, at);
  }
  return statistics;
}

/**
 * Runs a simulation on every core: the iterations are cut into one partition per worker thread,
 * and each worker writes its partition of shared result arrays. The RNG is counter-based, so the
 * result is identical, value for value, to a single-threaded run with the same seed. The workers
 * then compute every output's statistics together (exact percentiles without sorting it all).
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
  const count = Math.max(1, Math.min(options.workers ?? availableParallelism(), Math.ceil(iterations / 50_000)));
  const shared = (n: number) => new SharedArrayBuffer(n * Float64Array.BYTES_PER_ELEMENT);
  const outputs = Object.fromEntries(compiled.outputs.map((name) => [name, shared(iterations)]));
  const keep = Math.min(iterations, options.keepInputs);
  const inputs = keep > 0 ? Object.fromEntries(compiled.inputs.map((input) => [input.name, shared(keep)])) : {};
  const size = Math.ceil(iterations / count);
  const workers = Array.from({ length: count }, () => new EngineWorker(options.workerPath));
  try {
    const parts = await Promise.all(
      workers.map((worker, w) =>
        worker.ask<{ ok: true; moments: Record<string, Moments> }>({
          kind: 'simulate',
          model: compiled.model,
          seed: options.seed,
          sampling: options.sampling,
          first: w * size,
          offset: options.firstIteration ?? 0,
          count: Math.max(0, Math.min(size, iterations - w * size)),
          total: iterations,
          keepInputs: keep,
          outputs,
          inputs,
          tables: quantileTables(),
        }),
      ),
    );
    const values = Object.fromEntries(
      Object.entries(outputs).map(([name, buffer]) => [name, new Float64Array(buffer)]),
    );
    const moments = Object.fromEntries(
      compiled.outputs.map((name) => [name, parts.map((part) => part.moments[name]!).reduce(combineMoments)]),
    );
    return {
      outputs: values,
      moments,
      statistics: await statisticsOnAllCores(workers, values, moments),
      ...(keep > 0
        ? {
            inputs: Object.fromEntries(
              Object.entries(inputs).map(([name, buffer]) => [name, new Float64Array(buffer)]),
            ),
          }
        : {}),
    };
  } finally {
    for (const worker of workers) worker.close();
  }
}
