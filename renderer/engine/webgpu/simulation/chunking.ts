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
