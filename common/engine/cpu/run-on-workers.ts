import type { CompiledModel } from '../compile-model';
import type { QuantileTables } from '../distributions/tabulate';
import type { Moments } from '../moments';
import type { OutputStatistics } from '../statistics';
import { combineBlockMoments } from './block-moments';
import { concatPieces } from './concat';
import type { EngineJob, EngineReply, ReplyOf, SharedRun } from './messages';
import { MIN_ITERATIONS_PER_WORKER, planPartitions, type Partition } from './partition';
import { statisticsOnWorkers } from './statistics-on-workers';

/**
 * The one thing a CPU engine pool must provide, in the app (Web Workers, renderer/engine/cpu) or
 * in the CLI (worker threads, electron/services/engine): a way to send a request to worker
 * `index` (started on first use) and wait for its final reply, progress going to `onProgress`.
 * Everything else (partitions, the work in each, moments, statistics) is here, once.
 */
export interface EngineWorkers {
  /** How many workers a run may use. */
  readonly size: number;
  /** Fewest iterations worth a worker of their own (starting one costs time). */
  readonly minimumPerWorker?: number;
  send(
    index: number,
    job: EngineJob,
    transfer: ArrayBuffer[],
    onProgress?: (done: number) => void,
  ): Promise<EngineReply>;
}

export interface CpuRunOptions {
  iterations: number;
  seed: number;
  sampling: 'mc' | 'lhs';
  /** Keep the first this-many iterations of every input (sensitivity analysis needs them). */
  keepInputs: number;
  /** Iteration number of the run's first iteration (the CLI's auto-stop continues a run in rounds). */
  firstIteration?: number;
  /** Where the workers write the whole run, in memory they share (worker threads); sent back in messages otherwise. */
  shared?: SharedRun;
  /** The quantile tables the caller built when it compiled the model, for the workers. */
  tables?: QuantileTables;
  /** Called as partitions progress, with iterations done so far. */
  onProgress?: (done: number, total: number) => void;
}

/** One partition, as its worker ran it. */
export interface SimulatedPartition extends Partition {
  reply: ReplyOf<'simulated'>;
}

async function replyOfKind<K extends EngineReply['kind']>(reply: Promise<EngineReply>, kind: K): Promise<ReplyOf<K>> {
  const got = await reply;
  if (got.kind !== kind) throw new Error(`A CPU engine worker answered ${got.kind}, not ${kind}.`);
  return got as ReplyOf<K>;
}

/**
 * Runs a simulation in partitions, one per worker (counter-based RNG, so their union equals a
 * single-threaded run value for value). With `hold`, each worker keeps its values for the
 * statistics passes and sends back only its kept iterations; without, it sends its values.
 */
export function simulateOnWorkers(
  workers: EngineWorkers,
  compiled: CompiledModel,
  options: CpuRunOptions,
  hold: boolean,
): Promise<SimulatedPartition[]> {
  const partitions = planPartitions(
    options.iterations,
    workers.size,
    workers.minimumPerWorker ?? MIN_ITERATIONS_PER_WORKER,
  );
  const done = partitions.map(() => 0);
  const keepInputs = Math.min(options.keepInputs, options.iterations);
  return Promise.all(
    partitions.map(async (partition, index) => {
      const job = {
        ...partition,
        seed: options.seed,
        sampling: options.sampling,
        total: options.iterations,
        keepInputs,
        ...(options.firstIteration ? { offset: options.firstIteration } : {}),
      };
      const request: EngineJob = {
        kind: 'simulate',
        model: compiled.model,
        job,
        hold,
        ...(options.tables ? { tables: options.tables } : {}),
        ...(options.shared ? { shared: options.shared } : {}),
      };
      const reply = await replyOfKind(
        workers.send(index, request, [], (count) => {
          done[index] = count;
          options.onProgress?.(
            done.reduce((a, b) => a + b, 0),
            options.iterations,
          );
        }),
        'simulated',
      );
      return { ...partition, reply };
    }),
  );
}

/** Each output's moments, from the partitions' block moments (block-moments.ts): the same on any number of workers. */
export function momentsOfPartitions(names: readonly string[], parts: SimulatedPartition[]): Record<string, Moments> {
  return Object.fromEntries(
    names.map((name) => [name, combineBlockMoments(parts.flatMap((part) => part.reply.moments[name]!))]),
  );
}

/** The values the partitions sent back, joined in run order: every value, or the kept iterations of held partitions. */
export function joinPartitions(
  parts: SimulatedPartition[],
  pick: (reply: ReplyOf<'simulated'>) => Record<string, Float64Array>,
  names: readonly string[],
): Record<string, Float64Array> {
  return Object.fromEntries(
    names.map((name) => [
      name,
      concatPieces(parts.flatMap((p) => (pick(p.reply)[name] ? [pick(p.reply)[name]!] : []))),
    ]),
  );
}

/** A run on the CPU engine: moments and exact statistics computed on the workers, and the values they sent back. */
export interface CpuRun {
  moments: Record<string, Moments>;
  statistics: Record<string, OutputStatistics>;
  /** The kept iterations of every output (none when the run wrote to shared memory). */
  outputs: Record<string, Float64Array>;
  /** The kept iterations of every input the run kept (none when it keeps none or wrote to shared memory). */
  inputs: Record<string, Float64Array>;
  philox: 'webassembly' | 'javascript';
}

/** A CPU engine run with its kept values left in the partitions' pieces, in run order (nothing joined). */
export interface CpuRunInPieces {
  moments: Record<string, Moments>;
  statistics: Record<string, OutputStatistics>;
  outputs: Record<string, Float64Array[]>;
  inputs: Record<string, Float64Array[]>;
  philox: 'webassembly' | 'javascript';
}

/**
 * runOnWorkers without joining the kept values: the app hands the pieces on (to its statistics
 * worker, and its samples a column at a time), so the page never copies them all in one task.
 */
export async function runOnWorkersInPieces(
  workers: EngineWorkers,
  compiled: CompiledModel,
  options: CpuRunOptions,
): Promise<CpuRunInPieces> {
  const parts = await simulateOnWorkers(workers, compiled, options, true);
  const moments = momentsOfPartitions(compiled.outputs, parts);
  const statistics = await statisticsOnWorkers(
    (job, kind) => Promise.all(parts.map((_, index) => replyOfKind(workers.send(index, job, []), kind))),
    moments,
  );
  const piecesOf = (pick: (reply: ReplyOf<'simulated'>) => Record<string, Float64Array>, names: readonly string[]) =>
    Object.fromEntries(
      names.map((name) => [name, parts.flatMap((p) => (pick(p.reply)[name]?.length ? [pick(p.reply)[name]!] : []))]),
    );
  return {
    moments,
    statistics,
    outputs: piecesOf((r) => r.outputs, compiled.outputs),
    // The inputs the run kept (none when it keeps none): the first partition holds the first kept iterations.
    inputs: piecesOf((r) => r.inputs, Object.keys(parts[0]!.reply.inputs)),
    philox: parts[0]!.reply.philox,
  };
}

/**
 * Runs a simulation on the workers and computes every output's statistics there: exact
 * percentiles without sorting it all, and moments that do not depend on the number of workers.
 * The same model, seed, sampling and iterations give bit-identical statistics in the app and in the CLI.
 */
export async function runOnWorkers(
  workers: EngineWorkers,
  compiled: CompiledModel,
  options: CpuRunOptions,
): Promise<CpuRun> {
  const run = await runOnWorkersInPieces(workers, compiled, options);
  return { ...run, outputs: joinAll(run.outputs), inputs: joinAll(run.inputs) };
}

const joinAll = (record: Record<string, Float64Array[]>) =>
  Object.fromEntries(Object.entries(record).map(([name, pieces]) => [name, concatPieces(pieces)]));
