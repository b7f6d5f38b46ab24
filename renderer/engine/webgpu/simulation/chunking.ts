/** Iterations per dispatch: how a WebGPU run is cut into chunks. */

/** The default: a chunk's every value is read back while the next one runs. */
export const DEFAULT_CHUNK_ITERATIONS = 1 << 20;

/**
 * Iterations per dispatch when statistics stay on the GPU: nothing per chunk is read back but the
 * moments, so long runs take bigger chunks (each of the three passes dispatches every chunk; on an
 * H100, 10^10 iterations ran at 2.2 billion/s in chunks of 2^20 and 3.6 billion/s in 2^24) while
 * still reporting progress 64 times a pass. The GPU run lowers it to what the device's buffers hold.
 */
export function statisticsChunkIterations(iterations: number): number {
  return Math.max(
    DEFAULT_CHUNK_ITERATIONS,
    Math.min(1 << 24, 2 ** Math.floor(Math.log2(Math.max(1, iterations / 64)))),
  );
}

/** The largest chunk on a software adapter (SwiftShader: about 0.3–0.4 million iterations/s, so 40 ms is some 16,000). */
export const SOFTWARE_CHUNK_ITERATIONS = 1 << 17;

/** The first chunk of a run that reads every value back: small enough for a software adapter's 50 ms. */
export const FIRST_CHUNK_ITERATIONS = 1 << 13;

/** How long one chunk should take, so progress moves at 10 Hz or more and Cancel is seen within one chunk. */
export const CHUNK_TARGET_MS = 40;

/**
 * The next chunk's iterations from how fast the last ones ran: about CHUNK_TARGET_MS of work, at
 * most twice (and at least half) the last chunk, a multiple of `step`, and no more than `most`
 * (what the run's buffers hold). On a fast GPU it grows to `most` within a few chunks; on a
 * software adapter (SwiftShader, on the CPU) it stays at tens of thousands.
 */
export function nextChunkIterations(last: number, lastMs: number, most: number, step: number): number {
  const rate = last / Math.max(lastMs, 0.5);
  const wanted = Math.min(2 * last, Math.max(last / 2, rate * CHUNK_TARGET_MS));
  const rounded = Math.floor(wanted / step) * step;
  return Math.max(step, Math.min(most, rounded));
}
