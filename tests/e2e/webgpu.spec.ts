import { expect, test, type Page } from '@playwright/test';
import { philox4x32, toUnitInterval } from '../../common/engine/philox';
import { fillUniforms } from '../../common/engine/rng';
import { launchRecordedBrowser, recordConsoleProblems, type RecordedBrowser } from './support/browser';
import { startHost, type SetUpHost } from '../support/host-process';
import { signInWithRecoverySecret } from './support/sign-in';
import { readPhiloxVectors } from '../support/philox-vectors';
import { bundleWebGpuEngine, installWebGpuEngine, type EngineGlobal } from './support/webgpu-harness';

// The WGSL Philox4x32 kernels of renderer/engine/webgpu, run by the production TypeScript module
// inside the app page (served by the real browser host, under its CSP) on Chromium's WebGPU
// (SwiftShader here), and checked against the Random123 known answers and the CPU generator.
test.describe.configure({ mode: 'serial' });

let recorded: RecordedBrowser;
let host: SetUpHost;
let page: Page;
let engineBundle: string;
const consoleProblems: string[] = [];

const vectors = readPhiloxVectors();

/** The words behind fillUniforms(seed, stream, first, …), computed on the CPU with the same mapping. */
function cpuWords(seed: number, stream: number, first: number, count: number): Uint32Array {
  const words = new Uint32Array(count);
  const block = new Uint32Array(4);
  for (let k = 0; k < count; k++) {
    const i = first + k;
    const index = Math.floor(i / 4);
    philox4x32([index >>> 0, Math.floor(index / 2 ** 32) >>> 0, 0, 0], [seed, stream], block);
    words[k] = block[i % 4]!;
  }
  return words;
}

/** The spacing of f32 values at |x|. */
function f32Ulp(x: number): number {
  return 2 ** (Math.floor(Math.log2(Math.abs(x))) - 23);
}

const LARGEST_F32_BELOW_ONE = 1 - 2 ** -24;

function gpuWords(target: Page, seed: number, stream: number, first: number, count: number): Promise<number[]> {
  return target.evaluate(
    async ([seed, stream, first, count]) => {
      const { __enclaveWebGpu: engine, __enclaveTestDevice: device } = globalThis as unknown as EngineGlobal;
      return Array.from(await engine.generateUniformWords(device!, seed, stream, first, count));
    },
    [seed, stream, first, count] as const,
  );
}

function gpuFloats(target: Page, seed: number, stream: number, first: number, count: number): Promise<number[]> {
  return target.evaluate(
    async ([seed, stream, first, count]) => {
      const { __enclaveWebGpu: engine, __enclaveTestDevice: device } = globalThis as unknown as EngineGlobal;
      return Array.from(await engine.generateUniformFloats(device!, seed, stream, first, count));
    },
    [seed, stream, first, count] as const,
  );
}

function gpuBlocks(target: Page, counters: number[], keys: number[], rounds: number): Promise<number[]> {
  return target.evaluate(
    async ([counters, keys, rounds]) => {
      const { __enclaveWebGpu: engine, __enclaveTestDevice: device } = globalThis as unknown as EngineGlobal;
      return Array.from(
        await engine.runPhiloxBlocks(device!, new Uint32Array(counters), new Uint32Array(keys), rounds),
      );
    },
    [counters, keys, rounds] as const,
  );
}

test.beforeAll(async () => {
  [recorded, host, engineBundle] = await Promise.all([launchRecordedBrowser(), startHost(), bundleWebGpuEngine()]);
  page = await recorded.newPage();
  recordConsoleProblems(page, consoleProblems);
});

test.afterAll(async () => {
  await recorded?.browser.close().catch(() => undefined);
  await host?.stop();
});

test('the WebGPU engine opens a device inside the consented app page', async () => {
  await page.goto(host.appUrl);
  await page.getByRole('button', { name: 'I have read and consent to these terms' }).click();
  await signInWithRecoverySecret(page, host.recoverySecret);
  await expect(page.getByTestId('app-home')).toBeVisible();
  await expect(page.getByTestId('webgpu-status')).toHaveAttribute('data-available', 'true', { timeout: 30_000 });
  await installWebGpuEngine(page, engineBundle);
  const device = await page.evaluate(async () => {
    const state = globalThis as unknown as EngineGlobal;
    state.__enclaveTestDevice = await state.__enclaveWebGpu.openComputeDevice(undefined, 'enclave-e2e');
    return {
      label: state.__enclaveTestDevice.label,
      maxStorageBufferBindingSize: state.__enclaveTestDevice.limits.maxStorageBufferBindingSize,
    };
  });
  expect(device.label).toBe('enclave-e2e');
  expect(device.maxStorageBufferBindingSize).toBeGreaterThanOrEqual(128 * 1024 * 1024);
});

test('the repository test data has the six Random123 Philox4x32 vectors', () => {
  expect(vectors).toHaveLength(6);
  expect(new Set(vectors.map((vector) => vector.rounds))).toEqual(new Set([7, 10]));
});

for (const vector of vectors) {
  test(`the WGSL kernel gives the Random123 known answer: ${vector.line}`, async () => {
    expect(await gpuBlocks(page, vector.counter, vector.key, vector.rounds)).toEqual(vector.expected);
  });
}

test('the WGSL kernel agrees with the CPU on 2048 counters and keys, carries and all-ones words included, at 7 and 10 rounds', async () => {
  // A fixed xorshift sequence mixed with edge words, so every 16-bit-half carry path of mulhi32 is hit.
  const edges = [0, 1, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
  let state = 0x2545f491;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state % 5 === 0 ? edges[state % edges.length]! : state;
  };
  const blocks = 2048;
  const counters = Array.from({ length: blocks * 4 }, next);
  const keys = Array.from({ length: blocks * 2 }, next);
  for (const rounds of [7, 10]) {
    const expected: number[] = [];
    const block = new Uint32Array(4);
    for (let b = 0; b < blocks; b++)
      expected.push(...philox4x32(counters.slice(b * 4, b * 4 + 4), keys.slice(b * 2, b * 2 + 2), block, rounds));
    expect(await gpuBlocks(page, counters, keys, rounds)).toEqual(expected);
  }
});

const SEED = 20261122;
const STREAM = 3;
const FIRST = 1_000_001;
const COUNT = 4096;

test('the WGSL uniform words of seed 20261122, stream 3, iterations 1,000,001 to 1,004,096 are bit-identical to the CPU', async () => {
  const expected = cpuWords(SEED, STREAM, FIRST, COUNT);
  // These are the words behind fillUniforms itself, not a second reading of the mapping.
  expect(Array.from(expected, toUnitInterval)).toEqual(
    Array.from(fillUniforms(SEED, STREAM, FIRST, new Float64Array(COUNT))),
  );
  const words = await gpuWords(page, SEED, STREAM, FIRST, COUNT);
  expect(words).toHaveLength(COUNT);
  const mismatches = words.flatMap((word, k) =>
    word === expected[k] ? [] : [`iteration ${FIRST + k}: gpu ${word.toString(16)} cpu ${expected[k]!.toString(16)}`],
  );
  expect(mismatches).toEqual([]);
});

test('the WGSL f32 uniforms of the same iterations are toUnitInterval of the same words, within one f32 ulp', async () => {
  const expected = fillUniforms(SEED, STREAM, FIRST, new Float64Array(COUNT));
  const floats = await gpuFloats(page, SEED, STREAM, FIRST, COUNT);
  expect(floats).toHaveLength(COUNT);
  const outside = floats.flatMap((value, k) => {
    const cpu = expected[k]!;
    return value > 0 && value < 1 && Math.abs(value - cpu) <= f32Ulp(cpu)
      ? []
      : [`iteration ${FIRST + k}: gpu ${value} cpu ${cpu}`];
  });
  expect(outside).toEqual([]);
  // The kernel promises more: the value rounded once to f32 (clamped below 1).
  const notRoundedOnce = floats.filter(
    (value, k) => value !== Math.min(Math.fround(expected[k]!), LARGEST_F32_BELOW_ONE),
  );
  expect(notRoundedOnce).toEqual([]);
});

test('block counters past 2^32 (high counter word) and iterations near 2^53 match the CPU', async () => {
  for (const first of [4 * 2 ** 32 - 2049, 2 ** 53 - 4096]) {
    const expected = Array.from(cpuWords(SEED, STREAM, first, 4096));
    expect(await gpuWords(page, SEED, STREAM, first, 4096), `from iteration ${first}`).toEqual(expected);
  }
  // Any alignment of the first iteration to the four-word blocks, and counts that end mid-block.
  for (const [first, count] of [
    [0, 1],
    [1, 2],
    [2, 5],
    [3, 7],
    [7, 64 * 4 + 3],
  ] as const) {
    expect(await gpuWords(page, SEED + 1, STREAM, first, count), `${count} from iteration ${first}`).toEqual(
      Array.from(cpuWords(SEED + 1, STREAM, first, count)),
    );
  }
});

test('a word that would round to 1.0 in f32 gives the largest f32 below 1, so inverse CDFs stay finite', async () => {
  const iteration = 6_150_298; // found by search: its word is within 2^7 of 2^32
  const [word] = cpuWords(SEED, STREAM, iteration, 1);
  expect(word).toBeGreaterThanOrEqual(0xffffff80);
  expect(Math.fround(toUnitInterval(word!))).toBe(1);
  const floats = await gpuFloats(page, SEED, STREAM, iteration - 5, 11);
  expect(floats[5]).toBe(LARGEST_F32_BELOW_ONE);
  expect(floats.every((value) => value > 0 && value < 1)).toBe(true);
});

test('a destroyed device rejects pending and later work with WebGpuDeviceLostError', async () => {
  const outcome = await page.evaluate(async () => {
    const engine = (globalThis as unknown as EngineGlobal).__enclaveWebGpu;
    const settle = (work: Promise<Uint32Array>) =>
      work.then(
        (words) => ({ rejected: false, name: '', message: `${words.length} words`, lostError: false }),
        (error: Error) => ({
          rejected: true,
          name: error.name,
          message: error.message,
          lostError: error instanceof engine.WebGpuDeviceLostError,
        }),
      );
    const device = await engine.openComputeDevice(undefined, 'enclave-e2e-lost');
    // Warm the pipeline so the next call is in its readback when the device goes.
    await engine.generateUniformWords(device, 1, 2, 0, 4);
    const pending = settle(engine.generateUniformWords(device, 1, 2, 0, 1 << 20));
    await new Promise((resolve) => setTimeout(resolve, 0));
    device.destroy();
    const inFlight = await pending;
    const later = await settle(engine.generateUniformWords(device, 1, 2, 0, 16));
    return { inFlight, later, lost: engine.guardDevice(device).lost?.reason ?? null };
  });
  expect(outcome.lost).toBe('destroyed');
  for (const result of [outcome.inFlight, outcome.later]) {
    expect(result).toMatchObject({ rejected: true, name: 'WebGpuDeviceLostError', lostError: true });
    expect(result.message).toContain('The WebGPU device "enclave-e2e-lost" was destroyed');
    expect(result.message).toContain('Open a new device or run on CPU workers');
  }
  expect(outcome.inFlight.message).toContain('uniform words of stream 2, iterations 0 to 1048575 did not finish');
  // The page's own device is untouched.
  expect(await gpuWords(page, SEED, STREAM, 0, 8)).toEqual(Array.from(cpuWords(SEED, STREAM, 0, 8)));
});

test('the engine ran under the app page without a console error', () => {
  expect(consoleProblems).toEqual([]);
});
