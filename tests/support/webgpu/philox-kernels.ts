/// <reference types="@webgpu/types" />
/// <reference types="vite/client" />
/**
 * For the tests and the benchmark only: the Philox4x32 kernels: raw blocks (the known-answer check) and per-stream uniforms with exactly
 * the mapping of fillUniforms in common/engine/rng.ts, so a GPU run and a CPU run of the same
 * iterations draw the same numbers.
 */
import philoxSource from '../../../renderer/engine/webgpu/philox.wgsl?raw';
import philoxBlocksSource from './philox-blocks.wgsl?raw';
import uniformsSource from '../../../renderer/engine/webgpu/uniforms.wgsl?raw';
import { runKernel } from './dispatch';
import { defineProgram } from '../../../renderer/engine/webgpu/program';

export const philoxBlocksProgram = defineProgram({
  label: 'philox4x32 blocks',
  sources: [philoxSource, philoxBlocksSource],
  entryPoint: 'philox_blocks',
});
export const uniformWordsProgram = defineProgram({
  label: 'philox4x32-10 uniform words',
  sources: [philoxSource, uniformsSource],
  entryPoint: 'uniform_words',
});
export const uniformFloatsProgram = defineProgram({
  label: 'philox4x32-10 uniform floats',
  sources: [philoxSource, uniformsSource],
  entryPoint: 'uniform_floats',
});

/** Random123 defines Philox4x32 for up to 16 rounds. */
const MAX_ROUNDS = 16;

function assertU32(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff)
    throw new RangeError(`${what} must be an unsigned 32-bit integer, not ${value}.`);
}

/** The first iteration and count of a stream slice, checked so every iteration is an exact integer. */
function assertIterations(first: number, count: number): void {
  if (!Number.isSafeInteger(first) || first < 0)
    throw new RangeError(`The first iteration must be a non-negative safe integer, not ${first}.`);
  if (!Number.isSafeInteger(count) || count < 0)
    throw new RangeError(`The iteration count must be a non-negative integer, not ${count}.`);
  if (first + count - 1 > Number.MAX_SAFE_INTEGER)
    throw new RangeError(`Iterations ${first} to ${first + count - 1} pass 2^53.`);
}

/**
 * Philox4x32 blocks for `counters` (four words each) under `keys` (two words each), `rounds`
 * rounds, evaluated on the GPU: four output words per block.
 */
export async function runPhiloxBlocks(
  device: GPUDevice,
  counters: Uint32Array,
  keys: Uint32Array,
  rounds = 10,
): Promise<Uint32Array> {
  if (counters.length % 4 !== 0)
    throw new RangeError(`Counters come in groups of four words; got ${counters.length} words.`);
  const blocks = counters.length / 4;
  if (keys.length !== blocks * 2)
    throw new RangeError(`${blocks} counters need ${blocks * 2} key words; got ${keys.length}.`);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > MAX_ROUNDS)
    throw new RangeError(`Philox4x32 takes 1 to ${MAX_ROUNDS} rounds, not ${rounds}.`);
  if (blocks === 0) return new Uint32Array(0);
  const result = await runKernel(device, philoxBlocksProgram, {
    work: `${blocks} Philox4x32-${rounds} blocks`,
    params: new Uint32Array([blocks, rounds]),
    inputs: [
      { binding: 1, data: counters },
      { binding: 2, data: keys },
    ],
    output: { binding: 3, bytes: blocks * 16 },
    invocations: blocks,
  });
  return new Uint32Array(result);
}

function streamParams(seed: number, stream: number, first: number, count: number): Uint32Array {
  assertU32(seed, 'The seed');
  assertU32(stream, 'The stream');
  assertIterations(first, count);
  // ToUint32 of a safe integer is its value mod 2^32, so the low word is exact.
  return new Uint32Array([seed, stream, first >>> 0, Math.floor(first / 2 ** 32), count, 0, 0, 0]);
}

/** One invocation per Philox block that the iterations [first, first + count) touch. */
function blocksTouched(first: number, count: number): number {
  return Math.ceil(((first % 4) + count) / 4);
}

/**
 * The 32-bit words behind the uniforms of iterations [first, first + count) of `stream`: slot k
 * holds word (first + k) % 4 of the Philox4x32-10 block at counter floor((first + k) / 4).
 */
export async function generateUniformWords(
  device: GPUDevice,
  seed: number,
  stream: number,
  first: number,
  count: number,
): Promise<Uint32Array> {
  const params = streamParams(seed, stream, first, count);
  if (count === 0) return new Uint32Array(0);
  const result = await runKernel(device, uniformWordsProgram, {
    work: `uniform words of stream ${stream}, iterations ${first} to ${first + count - 1}`,
    params,
    output: { binding: 1, bytes: count * 4 },
    invocations: blocksTouched(first, count),
  });
  return new Uint32Array(result);
}

/**
 * The same uniforms as f32 in the open interval (0, 1): toUnitInterval of each word rounded once to
 * f32, except that the few words that would round to 1.0 give the largest f32 below 1.
 */
export async function generateUniformFloats(
  device: GPUDevice,
  seed: number,
  stream: number,
  first: number,
  count: number,
): Promise<Float32Array> {
  const params = streamParams(seed, stream, first, count);
  if (count === 0) return new Float32Array(0);
  const result = await runKernel(device, uniformFloatsProgram, {
    work: `uniforms of stream ${stream}, iterations ${first} to ${first + count - 1}`,
    params,
    output: { binding: 2, bytes: count * 4 },
    invocations: blocksTouched(first, count),
  });
  return new Float32Array(result);
}
