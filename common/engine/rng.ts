import { philox4x32, toUnitInterval } from './philox';

/**
 * Uniforms for one stream (an input of the model): iteration i takes word i % 4 of the Philox
 * block at counter (i / 4, 0, 0, 0) under key (seed, stream). Any range of iterations can be
 * produced independently, on any thread or on the GPU, with the same values.
 */
export function fillUniforms(seed: number, stream: number, firstIteration: number, out: Float64Array): Float64Array {
  const key = [seed >>> 0, stream >>> 0];
  const counter = [0, 0, 0, 0];
  const block = new Uint32Array(4);
  let cached = -1;
  for (let k = 0; k < out.length; k++) {
    const i = firstIteration + k;
    const index = Math.floor(i / 4);
    if (index !== cached) {
      counter[0] = index >>> 0;
      counter[1] = Math.floor(index / 2 ** 32) >>> 0;
      philox4x32(counter, key, block);
      cached = index;
    }
    out[k] = toUnitInterval(block[i & 3]!);
  }
  return out;
}
