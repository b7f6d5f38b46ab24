import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { summarize, type OutputStatistics } from '../../common/engine/statistics';
import { DISCRETE_OUTPUTS, EVERY_DISTRIBUTION } from '../support/fixtures/engine-models';
import { launchRecordedBrowser, recordConsoleProblems, type RecordedBrowser } from './support/browser';
import { startHost, type SetUpHost } from '../support/host-process';
import { signInWithRecoverySecret } from './support/sign-in';
import {
  bundleWebGpuSimulation,
  installWebGpuSimulation,
  repoRoot,
  type SimulationGlobal,
} from './support/webgpu-harness';

// Statistics computed on the GPU (renderer/engine/webgpu/simulation/gpu-statistics.ts): the
// backend's runForSummary, in the app page on Chromium's WebGPU, against summarize() of every
// value of the same run read back (backend.run). The order statistics must be the very same
// values (percentiles and CDF exactly equal), counts exact, moments within f32 accumulation, and
// the kept iterations identical. Discrete outputs take the range pass, and only an output whose
// wanted bins each hold several values falls back to reading every value back.
test.describe.configure({ mode: 'serial' });

let recorded: RecordedBrowser;
let host: SetUpHost;
let page: Page;
let bundle: string;
const consoleProblems: string[] = [];

/** Non-finite values beside continuous ones, an output whose values are all equal, and a wide one. */
const MIXED = {
  format: 'enclave-model/1',
  name: 'Mixed outputs',
  marking: 'UNCLASSIFIED',
  inputs: [
    { name: 'x', dist: { type: 'normal', mean: 0, sd: 1 } },
    { name: 'u', dist: { type: 'uniform', min: 0, max: 1 } },
    { name: 'g', dist: { type: 'lognormal', mean: 1000, sd: 900 } },
  ],
  formulas: [
    { name: 'lnx', expr: 'ln(x)' },
    { name: 'flat', expr: 'u * 0 + 5' },
    { name: 'wide', expr: 'g * g * (1 + x / 10)' },
  ],
  outputs: ['lnx', 'flat', 'wide', 'u'],
};

interface Request {
  model: object;
  iterations: number;
  seed: number;
  sampling: 'mc' | 'lhs';
  keepInputs: number;
  chunkIterations: number;
  /** Statistics on the GPU even on SwiftShader, whose fallback adapter reads every value back by default. */
  statisticsOnGpu?: boolean;
  /** Fine bins, as a run of tens of millions of iterations gets them. */
  fineBins?: number;
}

const decode = (base64: string) => new Float64Array(Uint8Array.from(Buffer.from(base64, 'base64')).buffer);
const decodeAll = (record: Record<string, string>) =>
  Object.fromEntries(Object.entries(record).map(([name, b64]) => [name, decode(b64)]));

/** The same run twice on the page's device: every value read back, and statistics on the GPU. */
async function bothWays(request: Request) {
  const result = await page.evaluate(async (request) => {
    const state = globalThis as unknown as SimulationGlobal;
    const { engine, compileModel } = state.__enclaveSimulation;
    const compiled = compileModel(request.model);
    if (!compiled.ok) throw new Error(compiled.errors.join('\n'));
    const backend = engine.createWebGpuBackend(state.__enclaveSimulationDevice!, 'e2e', {
      chunkIterations: request.chunkIterations,
      statisticsOnGpu: request.statisticsOnGpu,
      fineBins: request.fineBins,
    });
    const options = {
      iterations: request.iterations,
      seed: request.seed,
      sampling: request.sampling,
      keepInputs: request.keepInputs,
    };
    const encode = (array: Float64Array) => {
      const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
      let text = '';
      for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(text);
    };
    const encodeAll = (record: Record<string, Float64Array>) =>
      Object.fromEntries(Object.entries(record).map(([name, array]) => [name, encode(array)]));
    try {
      const full = await backend.run(compiled.compiled, options);
      const progress: [number, number][] = [];
      const report = await backend.runForSummary(compiled.compiled, {
        ...options,
        onProgress: (done, total) => progress.push([done, total]),
      });
      const timing = report.timing;
      return {
        full: encodeAll(full.outputs),
        fullInputs: encodeAll(full.inputs),
        statistics: report.statistics,
        readBack: timing?.readBack ?? null,
        singleValued: timing?.singleValued ?? null,
        collected: timing?.collected ?? null,
        kept: encodeAll(report.outputs),
        keptInputs: encodeAll(report.inputs),
        progress,
      };
    } finally {
      backend.dispose();
    }
  }, request);
  return {
    ...result,
    full: decodeAll(result.full),
    fullInputs: decodeAll(result.fullInputs),
    kept: decodeAll(result.kept),
    keptInputs: decodeAll(result.keptInputs),
  };
}

/** GPU statistics against summarize() of the very values the GPU produced. */
function expectSameStatistics(label: string, gpu: OutputStatistics, values: Float64Array) {
  const host = summarize(values);
  expect(gpu.count, `${label} count`).toBe(host.count);
  expect(gpu.nonFinite, `${label} nonFinite`).toBe(host.nonFinite);
  expect([gpu.min, gpu.max], `${label} min, max`).toEqual([host.min, host.max]);
  expect(gpu.percentiles, `${label} percentiles`).toEqual(host.percentiles);
  expect(gpu.cdf, `${label} CDF`).toEqual(host.cdf);
  // An undefined statistic (the sd of one value, the shape of equal values) is NaN on both.
  const agree = (name: string, got: number, want: number, tolerance: number) => {
    if (Number.isNaN(want)) expect(got, `${label} ${name} ${got} vs undefined`).toBeNaN();
    else expect(Math.abs(got - want), `${label} ${name} ${got} vs ${want}`).toBeLessThanOrEqual(tolerance);
  };
  const scale = Math.max(Math.abs(host.mean), Number.isNaN(host.sd) ? 0 : host.sd);
  agree('mean', gpu.mean, host.mean, 1e-6 * scale);
  agree('sd', gpu.sd, host.sd, 1e-5 * host.sd);
  agree('skewness', gpu.skewness, host.skewness, 1e-3);
  agree('kurtosis', gpu.kurtosis, host.kurtosis, 1e-3);
  expect(gpu.histogram.edges, `${label} histogram edges`).toEqual(host.histogram.edges);
  const total = (counts: number[]) => counts.reduce((a, b) => a + b, 0);
  expect(total(gpu.histogram.counts), `${label} histogram total`).toBe(total(host.histogram.counts));
  // f32 bin arithmetic on the GPU can put a value within one rounding of an edge in the next bin.
  const moved = gpu.histogram.counts.reduce((sum, c, i) => sum + Math.abs(c - host.histogram.counts[i]!), 0);
  expect(moved, `${label} histogram values in another bin`).toBeLessThanOrEqual(Math.max(2, 1e-4 * host.count));
}

const readModel = (name: string) =>
  JSON.parse(readFileSync(join(repoRoot, 'resources', 'models', `${name}.json`), 'utf8')) as { outputs: string[] };

test.beforeAll(async () => {
  [recorded, host, bundle] = await Promise.all([launchRecordedBrowser(), startHost(), bundleWebGpuSimulation()]);
  page = await recorded.newPage();
  recordConsoleProblems(page, consoleProblems);
  await page.goto(host.appUrl);
  await page.getByRole('button', { name: 'I have read and consent to these terms' }).click();
  await signInWithRecoverySecret(page, host.recoverySecret);
  await installWebGpuSimulation(page, bundle);
  await page.evaluate(async () => {
    const state = globalThis as unknown as SimulationGlobal;
    state.__enclaveSimulationDevice = await state.__enclaveSimulation.engine.openComputeDevice(
      undefined,
      'enclave-e2e-statistics',
    );
  });
});

test.afterAll(async () => {
  await recorded?.browser.close().catch(() => undefined);
  await host?.stop();
});

for (const [name, sampling, fineBins] of [
  ['project-cost-schedule', 'mc', undefined],
  ['revenue-forecast', 'lhs', undefined],
  ['service-availability', 'mc', 1_048_600],
] as const) {
  test(`${name} (${sampling}${fineBins ? `, ${fineBins.toLocaleString('en-US')} bins` : ''}): GPU statistics are summarize() of the values read back, exact percentiles and CDF`, async () => {
    const model = readModel(name);
    // Four chunks, the last ragged; the kept iterations span two of them.
    const request = {
      model,
      iterations: 100_003,
      seed: 20261122,
      sampling,
      keepInputs: 40_000,
      chunkIterations: 32_768,
      statisticsOnGpu: true,
      ...(fineBins ? { fineBins } : {}),
    };
    const run = await bothWays(request);
    expect(run.statistics, 'statistics computed on the GPU').not.toBeNull();
    for (const output of model.outputs) {
      expectSameStatistics(`${name} ${output}`, run.statistics![output]!, run.full[output]!);
      expect(run.kept[output], `${output}: the kept iterations`).toEqual(run.full[output]!.subarray(0, 40_000));
    }
    expect(run.keptInputs).toEqual(run.fullInputs);
    // Three passes, reported as one run's progress to the end.
    expect(run.progress.at(-1)).toEqual([100_003, 100_003]);
    expect(run.progress.every(([done], i) => i === 0 || done >= run.progress[i - 1]![0])).toBe(true);
  });
}

test('non-finite values are counted apart, an output of one value has its percentiles, a wide output keeps its exact order statistics', async () => {
  const run = await bothWays({
    model: MIXED,
    iterations: 120_000,
    seed: 7,
    sampling: 'mc',
    keepInputs: 1_000,
    chunkIterations: 65_536,
    statisticsOnGpu: true,
  });
  expect(run.statistics).not.toBeNull();
  for (const output of MIXED.outputs) expectSameStatistics(output, run.statistics![output]!, run.full[output]!);
  expect(run.statistics!.lnx!.nonFinite).toBeGreaterThan(50_000);
  expect(run.statistics!.flat).toMatchObject({
    count: 120_000,
    min: 5,
    max: 5,
    sd: 0,
    percentiles: { p1: 5, p50: 5, p99: 5 },
  });
  expect(run.statistics!.flat!.histogram).toEqual({ edges: [5, 5], counts: [120_000] });
});

/** DISCRETE_OUTPUTS, and two values one f32 step apart, which share a bin either way: they cannot be told apart without their values. */
const DISCRETE = {
  ...DISCRETE_OUTPUTS,
  formulas: [
    ...DISCRETE_OUTPUTS.formulas,
    { name: 'twins', expr: 'if(u < 0.001, 0, if(u > 0.999, 1000000, if(x > 100, 1000, 1000.0001)))' },
    // Zeros that arithmetic makes negative (u * 0 * -1 is -0): alone, and beside counts.
    { name: 'zeros', expr: 'if(u < 0.5, 0, u * 0 * -1)' },
    { name: 'signed', expr: 'if(u < 0.3, u * 0 * -1, if(u < 0.6, 0, k))' },
  ],
  outputs: [...DISCRETE_OUTPUTS.outputs, 'twins', 'zeros', 'signed'],
};

test('discrete outputs stay on the GPU: bins of a single value are known without collecting, to the same statistics and histogram as summarize()', async () => {
  const run = await bothWays({
    model: EVERY_DISTRIBUTION,
    iterations: 50_000,
    seed: 3,
    sampling: 'mc',
    keepInputs: 500,
    chunkIterations: 32_768,
    statisticsOnGpu: true,
  });
  expect(run.statistics).not.toBeNull();
  // The Poisson input and the sum of comparisons take a handful of values: the range pass finds them.
  expect(run.singleValued).toEqual(expect.arrayContaining(['poi', 'f_cmp']));
  expect(run.singleValued).not.toContain('n1');
  // f_pow (and total, which adds it) mixes (-2)^bin, up to ±2 million, with continuous parts: at
  // 50,000 iterations the bins its ranks fall in hold over a quarter of it, several values each.
  expect(run.readBack!.filter((output) => output !== 'f_pow' && output !== 'total')).toEqual([]);
  for (const output of EVERY_DISTRIBUTION.outputs) {
    expectSameStatistics(output, run.statistics![output]!, run.full[output]!);
    expect(run.kept[output], output).toEqual(run.full[output]!.subarray(0, 500));
  }
  // Every value of these lies in a bin of a single value: the host's own histogram, to the count.
  for (const output of ['poi', 'f_cmp'])
    expect(run.statistics![output]!.histogram, output).toEqual(summarize(run.full[output]!).histogram);
});

test('a zero-inflated output collects only its continuous part; one whose crowded bins hold two values each is read back; a zero is stored as +0', async () => {
  const run = await bothWays({
    model: DISCRETE,
    iterations: 100_000,
    seed: 11,
    sampling: 'lhs',
    keepInputs: 100,
    chunkIterations: 32_768,
    statisticsOnGpu: true,
  });
  expect(run.statistics).not.toBeNull();
  expect(run.singleValued).toEqual(expect.arrayContaining(['hits', 'zero_inflated', 'k', 'signed']));
  expect(run.readBack).toEqual(['twins']);
  // -0 and +0 compare equal but sort apart: outputs store every zero as +0, as the CPU engine does.
  for (const output of ['zeros', 'signed'])
    expect(
      run.full[output]!.some((v) => Object.is(v, -0)),
      output,
    ).toBe(false);
  expect(run.statistics!.zeros).toMatchObject({ min: 0, max: 0, percentiles: { p1: 0, p99: 0 } });
  expect(Object.is(run.statistics!.signed!.percentiles.p10, 0)).toBe(true);
  for (const output of DISCRETE.outputs) expectSameStatistics(output, run.statistics![output]!, run.full[output]!);
  for (const output of ['hits', 'k', 'twins', 'zeros'])
    expect(run.statistics![output]!.histogram, output).toEqual(summarize(run.full[output]!).histogram);
  // The zeros are 60%: p50 is 0, p75 comes from the collected continuous part.
  expect(run.statistics!.zero_inflated!.percentiles.p50).toBe(0);
  expect(run.statistics!.zero_inflated!.percentiles.p75).toBeGreaterThan(60);
  // Collected: the continuous part's few wanted bins, not the zeros.
  expect(run.collected).toBeLessThan(5_000);
});

test('on SwiftShader (a fallback adapter) the backend reads every value back unless told otherwise', async () => {
  const run = await bothWays({
    model: readModel('revenue-forecast'),
    iterations: 5_000,
    seed: 1,
    sampling: 'mc',
    keepInputs: 100,
    chunkIterations: 4_096,
  });
  expect(run.statistics).toBeNull();
  expect(run.kept.revenue).toEqual(run.full.revenue);
});

test('no console errors', () => {
  expect(consoleProblems).toEqual([]);
});
