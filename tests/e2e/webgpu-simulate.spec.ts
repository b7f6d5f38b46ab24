import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileModel, type CompiledModel } from '../../common/engine/compile-model';
import { simulateCpu, type SimulationValues } from '../../common/engine/simulate-cpu';
import { summarize, type OutputStatistics } from '../../common/engine/statistics';
import { MAX_GPU_INPUTS } from '../../renderer/engine/webgpu/simulation/layout';
import type { OutputMoments } from '../../renderer/engine/webgpu/simulation/moments';
import { launchRecordedBrowser, recordConsoleProblems, type RecordedBrowser } from './support/browser';
import { startHost, type SetUpHost } from '../support/host-process';
import { signInWithRecoverySecret } from './support/sign-in';
import { EVERY_DISTRIBUTION, LARGE_DISCRETE, STEPPED } from '../support/fixtures/engine-models';
import {
  bundleWebGpuSimulation,
  installWebGpuSimulation,
  repoRoot,
  type SimulationGlobal,
} from './support/webgpu-harness';

// The WebGPU simulation backend (renderer/engine/webgpu/simulation) run by the production module
// inside the app page, under its CSP, on Chromium's WebGPU (SwiftShader here), and compared value
// by value with the CPU engine (simulateCpu) run here in Node on the same model and seed.
//
// Tolerances: the kernel computes in f32 from the same Philox uniforms, so every value must agree
// with the CPU's f64 value to TOLERANCE relative to max(|value|, the output's 5-95% spread); the
// spread keeps values that pass near zero from demanding a precision f32 cannot have. Measured:
// below 1e-6 everywhere. Where a result jumps (a discrete input, round/floor/ceil or a comparison
// of a continuous value) an f32 value a few ulps from the step may land on its other side: such
// outputs may have at most STEP_FLIPS of their iterations outside the tolerance (measured about
// 1e-4 for round() of a continuous input; 0 for the discrete inputs themselves).
test.describe.configure({ mode: 'serial' });

const TOLERANCE = 1e-5;
const STEP_FLIPS = 1e-3;

let recorded: RecordedBrowser;
let host: SetUpHost;
let page: Page;
let bundle: string;
const consoleProblems: string[] = [];

/** Formulas whose results are not finite in places, and the CPU evaluator's rules for them. */
const NON_FINITE = {
  format: 'enclave-model/1',
  name: 'Non-finite formulas',
  marking: 'UNCLASSIFIED',
  inputs: [
    { name: 'x', dist: { type: 'normal', mean: 0, sd: 1 } },
    { name: 'k', dist: { type: 'discrete', values: [-2, -1, 0, 1, 2], weights: [1, 1, 1, 1, 1] } },
    { name: 'h', dist: { type: 'uniform', min: 0, max: 1 } },
  ],
  formulas: [
    { name: 'lnx', expr: 'ln(x)' },
    { name: 'if_nan', expr: 'if(lnx, 1, 2) + if(k, 10, 20)' },
    { name: 'min_nan', expr: 'min(lnx, 5)' },
    { name: 'max_nan', expr: 'max(0, lnx, -1)' },
    { name: 'inverse', expr: '1 / k' },
    { name: 'neg_inverse', expr: '-1 / k' },
    { name: 'zero_by_zero', expr: 'k / k' },
    { name: 'powers', expr: 'k ^ 3 + (-k) ^ 2 + lnx ^ 0' },
    { name: 'pow_negative', expr: 'pow(k, 0.5)' },
    // k * k * 0 is +0: GPUs need not keep the sign of zero (WGSL allows it), JavaScript does.
    { name: 'pow_zero', expr: '(k * k * 0) ^ (k - 3)' },
    { name: 'compare_nan', expr: '(lnx < 1) + (lnx == lnx) * 2 + (lnx != lnx) * 4 + (lnx >= 0) * 8' },
    {
      name: 'rounding',
      expr: 'round(h * 10 - 5) + round(-2.5) * 10 + round(2.5) * 100 + round(1.005, 2) + round(1250, -2) + round(k / 3, 1)',
    },
    { name: 'root', expr: 'sqrt(x)' },
  ],
  outputs: [
    'lnx',
    'if_nan',
    'min_nan',
    'max_nan',
    'inverse',
    'neg_inverse',
    'zero_by_zero',
    'powers',
    'pow_negative',
    'pow_zero',
    'compare_nan',
    'rounding',
    'root',
  ],
};

interface RunRequest {
  model: object;
  iterations: number;
  seed: number;
  sampling?: 'mc' | 'lhs';
  keepInputs?: number;
  chunkIterations?: number;
  /** Abort, or destroy the device, in the onProgress callback of this chunk (1-based). */
  abortAtChunk?: number;
  destroyAtChunk?: number;
  /** Run on a fresh device with this label instead of the page's. */
  freshDevice?: string;
}

type GpuOutcome =
  | {
      ok: true;
      outputs: Record<string, Float64Array>;
      inputs: Record<string, Float64Array>;
      moments: Record<string, OutputMoments>;
      progress: [number, number][];
      momentCounts: number[];
      ms: number;
    }
  | {
      ok: false;
      name: string;
      message: string;
      cancelled: boolean;
      lost: boolean;
      modelError: boolean;
      progress: [number, number][];
    };

const decode = (base64: string) => new Float64Array(Uint8Array.from(Buffer.from(base64, 'base64')).buffer);
const decodeAll = (record: Record<string, string>) =>
  Object.fromEntries(Object.entries(record).map(([name, b64]) => [name, decode(b64)]));

async function gpuRun(request: RunRequest): Promise<GpuOutcome> {
  const result = await page.evaluate(async (request) => {
    const state = globalThis as unknown as SimulationGlobal;
    const { engine, compileModel, RunCancelledError } = state.__enclaveSimulation;
    const compiled = compileModel(request.model);
    if (!compiled.ok) throw new Error(compiled.errors.join('\n'));
    const device = request.freshDevice
      ? await engine.openComputeDevice(undefined, request.freshDevice)
      : state.__enclaveSimulationDevice!;
    const backend = engine.createWebGpuBackend(device, 'e2e', { chunkIterations: request.chunkIterations });
    const controller = new AbortController();
    const progress: [number, number][] = [];
    const momentCounts: number[] = [];
    const start = performance.now();
    try {
      const values = await backend.run(compiled.compiled, {
        iterations: request.iterations,
        seed: request.seed,
        sampling: request.sampling ?? 'mc',
        keepInputs: request.keepInputs ?? 0,
        signal: controller.signal,
        onProgress: (done, total) => {
          progress.push([done, total]);
          if (progress.length === request.abortAtChunk) controller.abort();
          if (progress.length === request.destroyAtChunk) device.destroy();
        },
        onMoments: (moments) => momentCounts.push(Object.values(moments)[0]!.count),
      });
      const ms = performance.now() - start;
      const encode = (array: Float64Array) => {
        const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
        let text = '';
        for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        return btoa(text);
      };
      const encodeAll = (record: Record<string, Float64Array>) =>
        Object.fromEntries(Object.entries(record).map(([name, array]) => [name, encode(array)]));
      return {
        ok: true as const,
        outputs: encodeAll(values.outputs),
        inputs: encodeAll(values.inputs),
        moments: values.moments,
        progress,
        momentCounts,
        ms,
      };
    } catch (error) {
      const e = error as Error;
      // Give a cancelled run's in-flight chunk time to (wrongly) report progress.
      await new Promise((resolve) => setTimeout(resolve, 300));
      return {
        ok: false as const,
        name: e.name,
        message: e.message,
        cancelled: e instanceof RunCancelledError,
        lost: e instanceof engine.WebGpuDeviceLostError,
        modelError: e instanceof engine.WebGpuModelError,
        progress,
      };
    } finally {
      backend.dispose();
      if (request.freshDevice) device.destroy();
    }
  }, request);
  if (!result.ok) return result;
  return { ...result, outputs: decodeAll(result.outputs), inputs: decodeAll(result.inputs) };
}

async function gpuValues(request: RunRequest) {
  const outcome = await gpuRun(request);
  if (!outcome.ok) throw new Error(`The GPU run failed: ${outcome.name}: ${outcome.message}`);
  return outcome;
}

function compiledOrThrow(model: object): CompiledModel {
  const result = compileModel(model);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.compiled;
}

const readModel = (name: string) =>
  JSON.parse(readFileSync(join(repoRoot, 'resources', 'models', `${name}.json`), 'utf8')) as {
    name: string;
    outputs: string[];
  };

/** The spread of the CPU values that tolerances are scaled by: the 5th to 95th percentile of the finite ones. */
function spreadOf(values: Float64Array): number {
  const sorted = values.filter(Number.isFinite).sort();
  return sorted.length === 0
    ? 0
    : sorted[Math.floor(0.95 * (sorted.length - 1))]! - sorted[Math.floor(0.05 * (sorted.length - 1))]!;
}

interface Agreement {
  /** Largest error relative to max(|cpu|, spread). */
  worst: number;
  /** Iterations beyond TOLERANCE. */
  outside: number;
  /** Iterations where one side is not finite and the two differ. */
  nonFinite: string[];
}

function agreement(gpu: Float64Array, cpu: Float64Array): Agreement {
  expect(gpu.length).toBe(cpu.length);
  const spread = spreadOf(cpu);
  const result: Agreement = { worst: 0, outside: 0, nonFinite: [] };
  for (let i = 0; i < cpu.length; i++) {
    const g = gpu[i]!;
    const c = cpu[i]!;
    if (!Number.isFinite(g) || !Number.isFinite(c)) {
      if (!Object.is(g, c)) result.nonFinite.push(`iteration ${i}: gpu ${g} cpu ${c}`);
      continue;
    }
    const error = Math.abs(g - c) / Math.max(Math.abs(c), spread, Number.MIN_VALUE);
    result.worst = Math.max(result.worst, error);
    if (error > TOLERANCE) result.outside++;
  }
  return result;
}

/** Every value within TOLERANCE, except at most `flips` of them (a fraction) for outputs with steps. */
function expectValuesAgree(
  label: string,
  gpu: Record<string, Float64Array>,
  cpu: Record<string, Float64Array>,
  stepped: (name: string) => boolean,
) {
  expect(Object.keys(gpu).sort(), label).toEqual(Object.keys(cpu).sort());
  for (const [name, values] of Object.entries(cpu)) {
    const a = agreement(gpu[name]!, values);
    expect(a.nonFinite, `${label} ${name}: non-finite values`).toEqual([]);
    const allowed = stepped(name) ? Math.floor(STEP_FLIPS * values.length) : 0;
    expect(
      a.outside,
      `${label} ${name}: iterations beyond ${TOLERANCE} relative (worst ${a.worst.toExponential(2)})`,
    ).toBeLessThanOrEqual(allowed);
  }
}

/** Summary statistics within TOLERANCE of max(|statistic|, spread); shape statistics within 1e-3. */
function expectSummariesAgree(label: string, gpu: Float64Array, cpu: Float64Array) {
  const g = summarize(gpu);
  const c = summarize(cpu);
  const scale = (x: number) => Math.max(Math.abs(x), spreadOf(cpu));
  const close = (what: string, a: number, b: number) =>
    expect(Math.abs(a - b), `${label} ${what}: gpu ${a} cpu ${b}`).toBeLessThanOrEqual(TOLERANCE * scale(b));
  expect(g.count, `${label} count`).toBe(c.count);
  expect(g.nonFinite, `${label} nonFinite`).toBe(c.nonFinite);
  for (const key of ['mean', 'sd', 'min', 'max'] as const) close(key, g[key], c[key]);
  for (const key of Object.keys(c.percentiles) as (keyof OutputStatistics['percentiles'])[])
    close(key, g.percentiles[key], c.percentiles[key]);
  for (const key of ['skewness', 'kurtosis'] as const)
    expect(Math.abs(g[key] - c[key]), `${label} ${key}`).toBeLessThanOrEqual(1e-3);
}

function cpuRun(model: object, request: Omit<RunRequest, 'model'>): SimulationValues {
  return simulateCpu(compiledOrThrow(model), {
    iterations: request.iterations,
    seed: request.seed,
    sampling: request.sampling ?? 'mc',
    keepInputs: request.keepInputs ?? 0,
  });
}

test.beforeAll(async () => {
  [recorded, host, bundle] = await Promise.all([launchRecordedBrowser(), startHost(), bundleWebGpuSimulation()]);
  page = await recorded.newPage();
  recordConsoleProblems(page, consoleProblems);
});

test.afterAll(async () => {
  await recorded?.browser.close().catch(() => undefined);
  await host?.stop();
});

test('the simulation engine installs in the consented app page and opens a device', async () => {
  await page.goto(host.appUrl);
  await page.getByRole('button', { name: 'I have read and consent to these terms' }).click();
  await signInWithRecoverySecret(page, host.recoverySecret);
  await expect(page.getByTestId('app-home')).toBeVisible();
  await installWebGpuSimulation(page, bundle);
  const label = await page.evaluate(async () => {
    const state = globalThis as unknown as SimulationGlobal;
    state.__enclaveSimulationDevice = await state.__enclaveSimulation.engine.openComputeDevice(
      undefined,
      'enclave-e2e-simulation',
    );
    return state.__enclaveSimulationDevice.label;
  });
  expect(label).toBe('enclave-e2e-simulation');
});

for (const name of ['project-cost-schedule', 'revenue-forecast', 'service-availability']) {
  test(`${name}: every output of 100,003 iterations matches the CPU engine value by value, and so do the statistics`, async () => {
    const model = readModel(name);
    // Chunks of 32,768 iterations: four chunks, the last one ragged (and not a multiple of four).
    const request = { iterations: 100_003, seed: 20260101, chunkIterations: 32_768, keepInputs: 2_000 };
    const gpu = await gpuValues({ model, ...request });
    const cpu = cpuRun(model, request);
    expectValuesAgree(name, gpu.outputs, cpu.outputs, () => false);
    expectValuesAgree(`${name} kept inputs`, gpu.inputs, cpu.inputs!, () => false);
    for (const output of model.outputs)
      expectSummariesAgree(`${name} ${output}`, gpu.outputs[output]!, cpu.outputs[output]!);
  });
}

for (const sampling of ['mc', 'lhs'] as const) {
  test(`every distribution with truncate, shift, correlation and every operator (${sampling.toUpperCase()}): values, kept inputs and statistics match the CPU`, async () => {
    const request = { iterations: 100_003, seed: 77, sampling, chunkIterations: 32_768, keepInputs: 10_000 };
    const gpu = await gpuValues({ model: EVERY_DISTRIBUTION, ...request });
    const cpu = cpuRun(EVERY_DISTRIBUTION, request);
    expectValuesAgree(`${sampling}`, gpu.outputs, cpu.outputs, (output) => STEPPED.has(output));
    expectValuesAgree(`${sampling} kept inputs`, gpu.inputs, cpu.inputs!, () => false);
    for (const output of EVERY_DISTRIBUTION.outputs)
      expectSummariesAgree(`${sampling} ${output}`, gpu.outputs[output]!, cpu.outputs[output]!);
  });
}

test('Poisson with lambda 5e6 and binomial with n 1e9 sample from their tables as the CPU does; p = 0 and 1 are constant', async () => {
  const request = { iterations: 20_000, seed: 3 };
  const gpu = await gpuValues({ model: LARGE_DISCRETE, ...request });
  const cpu = cpuRun(LARGE_DISCRETE, request);
  // f32 holds whole numbers exactly to 2^24 only: the binomial's values (~4e8) are compared as f32.
  const asF32 = (values: Float64Array) => Float64Array.from(values, Math.fround);
  expectValuesAgree(
    'large discrete',
    { ...gpu.outputs, binomial: gpu.outputs.binomial! },
    { ...cpu.outputs, binomial: asF32(cpu.outputs.binomial!) },
    () => true,
  );
  expect(new Set(gpu.outputs.never)).toEqual(new Set([0]));
  expect(new Set(gpu.outputs.always)).toEqual(new Set([7]));
  // The CPU searches the same step table in f64. In a dense one (steps 2e-4 apart in u) only the
  // f32 rounding of u and of the table (6e-8) can put a u on the other side of a step: none of
  // these 20,000 (0.13% when the CPU used its incomplete gamma). Never more than one step.
  const steps = Array.from(gpu.outputs.poisson!, (v, i) => v - cpu.outputs.poisson![i]!);
  expect(Math.max(...steps.map(Math.abs))).toBeLessThanOrEqual(1);
  expect(steps.filter((d) => d !== 0).length).toBeLessThanOrEqual(0.001 * request.iterations);
});

test('non-finite results follow the CPU evaluator: NaN conditions are false, min/max propagate NaN, x ^ 0 is 1, 1/0 is Infinity', async () => {
  const request = { iterations: 20_000, seed: 5 };
  const gpu = await gpuValues({ model: NON_FINITE, ...request });
  const cpu = cpuRun(NON_FINITE, request);
  // Non-finite values must match exactly. Finite ones may flip like stepped outputs: ln(x) of a
  // normal near 0 magnifies the f32 uniform's absolute precision (3e-8) near its median.
  expectValuesAgree('non-finite', gpu.outputs, cpu.outputs, () => true);
  // The model really produces each kind of value.
  const all = Object.values(cpu.outputs).flatMap((values) => Array.from(values));
  expect(all.some(Number.isNaN)).toBe(true);
  expect(all.includes(Infinity) && all.includes(-Infinity)).toBe(true);
});

test('the GPU-reduced moments of every output agree with the values read back', async () => {
  const gpu = await gpuValues({ model: EVERY_DISTRIBUTION, iterations: 100_003, seed: 9, chunkIterations: 32_768 });
  for (const name of EVERY_DISTRIBUTION.outputs) {
    const values = gpu.outputs[name]!;
    const finite = values.filter(Number.isFinite);
    const mean = finite.reduce((s, v) => s + v, 0) / finite.length;
    const m2 = finite.reduce((s, v) => s + (v - mean) ** 2, 0);
    const sd = Math.sqrt(m2 / (finite.length - 1));
    const m = gpu.moments[name]!;
    expect(m.count, name).toBe(finite.length);
    expect(m.min, name).toBe(finite.reduce((a, b) => Math.min(a, b)));
    expect(m.max, name).toBe(finite.reduce((a, b) => Math.max(a, b)));
    // f32 sums of 16 values per thread, merged pairwise: far inside f32's 1e-7 times a few merges.
    expect(Math.abs(m.mean - mean), `${name} mean`).toBeLessThanOrEqual(1e-6 * Math.max(Math.abs(mean), sd));
    expect(Math.abs(m.m2 - m2), `${name} m2`).toBeLessThanOrEqual(1e-5 * m2);
    expect(Math.abs(m.sum - mean * finite.length), `${name} sum`).toBeLessThanOrEqual(
      1e-6 * Math.max(Math.abs(mean), sd) * finite.length,
    );
    expect(Math.abs(m.sumOfSquares - (m2 + finite.length * mean * mean)), `${name} sum of squares`).toBeLessThanOrEqual(
      1e-5 * (m2 + finite.length * mean * mean),
    );
  }
});

test('the widest model the kernel takes: 480 inputs, 200 of them correlated, a formula summing all 480', async () => {
  const n = MAX_GPU_INPUTS;
  const dists = [
    { type: 'normal', mean: 10, sd: 1 },
    { type: 'poisson', lambda: 3 },
    { type: 'triangular', min: 0, mode: 1, max: 3 },
    { type: 'pert', min: 1, mode: 2, max: 6 },
  ];
  const wide = {
    format: 'enclave-model/1',
    name: 'Widest',
    marking: 'UNCLASSIFIED',
    inputs: Array.from({ length: n }, (_, i) => ({ name: `x${i}`, dist: dists[i % dists.length] })),
    correlations: Array.from({ length: 199 }, (_, i) => ({ a: `x${i}`, b: `x${i + 1}`, rank: 0.3 })),
    // Parsed left-deep, 480 levels: the kernel splits it into temporaries for the WGSL parser.
    formulas: [{ name: 'total', expr: Array.from({ length: n }, (_, i) => `x${i}`).join(' + ') }],
    outputs: ['total', `x${n - 1}`],
  };
  const request = { iterations: 8_003, seed: 1, keepInputs: 100 };
  const gpu = await gpuValues({ model: wide, ...request });
  const cpu = cpuRun(wide, request);
  expectValuesAgree('widest', gpu.outputs, cpu.outputs, () => false);
  expectValuesAgree('widest kept inputs', gpu.inputs, cpu.inputs!, () => false);
});

test('the same seed gives identical output twice; another seed does not', async () => {
  const model = readModel('revenue-forecast');
  const first = await gpuValues({ model, iterations: 50_001, seed: 42, sampling: 'lhs', chunkIterations: 16_384 });
  const again = await gpuValues({ model, iterations: 50_001, seed: 42, sampling: 'lhs', chunkIterations: 16_384 });
  const other = await gpuValues({ model, iterations: 50_001, seed: 43, sampling: 'lhs', chunkIterations: 16_384 });
  expect(Buffer.from(again.outputs.revenue!.buffer).equals(Buffer.from(first.outputs.revenue!.buffer))).toBe(true);
  expect(Buffer.from(other.outputs.revenue!.buffer).equals(Buffer.from(first.outputs.revenue!.buffer))).toBe(false);
});

test('progress is reported after every chunk, increasing, up to the total, with the moments so far', async () => {
  const gpu = await gpuValues({
    model: readModel('service-availability'),
    iterations: 100_003,
    seed: 1,
    chunkIterations: 32_768,
  });
  expect(gpu.progress).toEqual([
    [32_768, 100_003],
    [65_536, 100_003],
    [98_304, 100_003],
    [100_003, 100_003],
  ]);
  // availability is finite everywhere, so its moment count is the iterations done.
  expect(gpu.momentCounts).toEqual([32_768, 65_536, 98_304, 100_003]);
});

test('aborting the signal mid-run rejects with RunCancelledError and stops at the chunk boundary', async () => {
  const outcome = await gpuRun({
    model: EVERY_DISTRIBUTION,
    iterations: 1_000_000,
    seed: 1,
    chunkIterations: 65_536,
    abortAtChunk: 2,
  });
  expect(outcome).toMatchObject({
    ok: false,
    name: 'RunCancelledError',
    cancelled: true,
    message: 'The run was cancelled.',
  });
  // The chunk already in flight when the signal fired is dropped, not reported.
  expect(outcome.progress).toEqual([
    [65_536, 1_000_000],
    [131_072, 1_000_000],
  ]);
  const already = await page.evaluate(async () => {
    const { engine, compileModel } = (globalThis as unknown as SimulationGlobal).__enclaveSimulation;
    const compiled = compileModel({
      format: 'enclave-model/1',
      name: 'x',
      marking: 'UNCLASSIFIED',
      inputs: [{ name: 'a', dist: { type: 'uniform', min: 0, max: 1 } }],
      outputs: ['a'],
    });
    if (!compiled.ok) return 'did not compile';
    const backend = engine.createWebGpuBackend(
      (globalThis as unknown as SimulationGlobal).__enclaveSimulationDevice!,
      'e2e',
    );
    return backend
      .run(compiled.compiled, { iterations: 10, seed: 1, sampling: 'mc', keepInputs: 0, signal: AbortSignal.abort() })
      .then(
        () => 'resolved',
        (error: Error) => error.name,
      );
  });
  expect(already).toBe('RunCancelledError');
});

test('destroying the device mid-run rejects with WebGpuDeviceLostError, and so does the next run on it', async () => {
  const outcome = await gpuRun({
    model: EVERY_DISTRIBUTION,
    iterations: 1_000_000,
    seed: 1,
    chunkIterations: 65_536,
    destroyAtChunk: 1,
    freshDevice: 'enclave-e2e-lost-simulation',
  });
  expect(outcome).toMatchObject({ ok: false, name: 'WebGpuDeviceLostError', lost: true });
  if (outcome.ok) return;
  expect(outcome.message).toContain('The WebGPU device "enclave-e2e-lost-simulation" was destroyed');
  expect(outcome.message).toContain('a simulation of 1,000,000 iterations of "Every distribution" did not finish');
  expect(outcome.message).toContain('Open a new device or run on CPU workers');
  const later = await page.evaluate(async () => {
    const { engine, compileModel } = (globalThis as unknown as SimulationGlobal).__enclaveSimulation;
    const device = await engine.openComputeDevice(undefined, 'enclave-e2e-gone');
    device.destroy();
    await device.lost;
    const compiled = compileModel({
      format: 'enclave-model/1',
      name: 'x',
      marking: 'UNCLASSIFIED',
      inputs: [{ name: 'a', dist: { type: 'uniform', min: 0, max: 1 } }],
      outputs: ['a'],
    });
    if (!compiled.ok) return null;
    return engine
      .createWebGpuBackend(device, 'e2e')
      .run(compiled.compiled, { iterations: 10, seed: 1, sampling: 'mc', keepInputs: 0 })
      .then(
        () => null,
        (error: Error) => ({ lost: error instanceof engine.WebGpuDeviceLostError, message: error.message }),
      );
  });
  expect(later?.lost).toBe(true);
  expect(later?.message).toContain('"enclave-e2e-gone" was destroyed');
  // The page's own device still runs.
  expect(
    (await gpuValues({ model: readModel('revenue-forecast'), iterations: 100, seed: 1 })).outputs.revenue,
  ).toHaveLength(100);
});

test('bad requests and models the kernel cannot take are refused with a message that says what to do', async () => {
  const model = readModel('revenue-forecast');
  for (const [iterations, expected] of [
    [0, 'A run needs a whole number of iterations from 1 to'],
    [2.5, 'not 2.5'],
  ] as const) {
    const outcome = await gpuRun({ model, iterations, seed: 1 });
    expect(outcome).toMatchObject({ ok: false, name: 'RangeError' });
    expect(!outcome.ok && outcome.message).toContain(expected);
  }
  const seed = await gpuRun({ model, iterations: 10, seed: -1 });
  expect(!seed.ok && seed.message).toBe('The seed must be a whole number from 0 to 4,294,967,295, not -1.');
  const wide = {
    format: 'enclave-model/1',
    name: 'Too wide',
    marking: 'UNCLASSIFIED',
    inputs: Array.from({ length: MAX_GPU_INPUTS + 1 }, (_, i) => ({
      name: `x${i}`,
      dist: { type: 'uniform', min: 0, max: 1 },
    })),
    outputs: ['x0'],
  };
  const outcome = await gpuRun({ model: wide, iterations: 10, seed: 1 });
  expect(outcome).toMatchObject({
    ok: false,
    name: 'WebGpuModelError',
    modelError: true,
    message: `The GPU kernel takes at most ${MAX_GPU_INPUTS} inputs; this model has ${MAX_GPU_INPUTS + 1}. Run it on CPU workers.`,
  });
});

test('the engine ran under the app page without a console error', () => {
  expect(consoleProblems).toEqual([]);
});
