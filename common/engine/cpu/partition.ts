/**
 * How the CPU engine cuts a run, in the app's Web Workers and in the CLI's worker threads alike.
 * Pure, so the unit tests pin it: partitions are contiguous, never overlap and cover every
 * iteration once, and the counter-based RNG makes their union identical to a single-threaded run.
 */

/** Below this many iterations per worker, starting another worker costs more than it saves (a kept Web Worker). */
export const MIN_ITERATIONS_PER_WORKER = 8_192;

/**
 * The block size every engine worker compiles the model for, and the length of the blocks whose
 * moments a run combines (block-moments.ts): one block, one column in cache.
 */
export const BLOCK_ITERATIONS = 8_192;

/** One chunk of a partition between progress messages (a multiple of the compiled block size): a few tens of ms, so the page sees progress at 10 Hz or more. */
export const CHUNK_ITERATIONS = 32_768;

export interface Partition {
  /** Index of its first iteration in the run (and in the result arrays). */
  first: number;
  count: number;
}

/**
 * Up to `workers` partitions of near-equal size, each at least `minimum` long where possible (a
 * worker thread that starts for one run costs more than a Web Worker kept between runs).
 */
export function planPartitions(iterations: number, workers: number, minimum = MIN_ITERATIONS_PER_WORKER): Partition[] {
  if (!Number.isInteger(iterations) || iterations < 1)
    throw new RangeError(`iterations must be a whole number of at least 1, not ${iterations}`);
  const count = Math.max(1, Math.min(Math.floor(workers), Math.ceil(iterations / minimum)));
  const base = Math.floor(iterations / count);
  const extra = iterations % count;
  const partitions: Partition[] = [];
  let first = 0;
  for (let w = 0; w < count; w++) {
    const size = base + (w < extra ? 1 : 0);
    partitions.push({ first, count: size });
    first += size;
  }
  return partitions;
}

/**
 * The chunks one partition runs in. Latin Hypercube runs in one chunk: simulateCpu draws every
 * input's permutation of the whole run on each call, so each extra chunk would redo that work.
 */
export function planChunks(partition: Partition, sampling: 'mc' | 'lhs'): Partition[] {
  if (sampling === 'lhs') return [partition];
  const chunks: Partition[] = [];
  for (let done = 0; done < partition.count; done += CHUNK_ITERATIONS) {
    chunks.push({ first: partition.first + done, count: Math.min(CHUNK_ITERATIONS, partition.count - done) });
  }
  return chunks;
}
