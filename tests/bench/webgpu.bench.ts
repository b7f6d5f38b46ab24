import type * as Esbuild from 'esbuild';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runInThisContext } from 'node:vm';
import type * as PlaywrightCore from 'playwright-core';
import { compileModel } from '../../common/engine/compile-model';
import { simulateCpu } from '../../common/engine/simulate-cpu';
import { OFFLINE_SWITCHES } from '../../hosts/chromium';
import { bundleForPage } from '../support/page-bundle';
import { DISCRETE_OUTPUTS, EVERY_DISTRIBUTION, LARGE_DISCRETE, STEPPED } from '../support/fixtures/engine-models';
import { REFERENCE_MODEL } from './reference-model';
import { parsePhiloxVectors, type PhiloxVector } from '../support/philox-vectors';
import { measureWebGpu, type ConformanceCheck, type MeasureArgs, type MeasureResult } from './webgpu-measure';

// WebGPU benchmark: the reference model of engine.bench.ts run by the app's WebGPU backend, next
// to the CPU engine on one core in the same process. Two runtimes, the same engine bundle and the
// same measurement (webgpu-measure.ts):
// - chromium (default): Debian's Chromium, headless with the e2e tests' offline switches, in a
//   page served from 127.0.0.1 under the app's CSP; WebGPU on SwiftShader unless
//   ENCLAVE_BENCH_GPU_ADAPTER=default lets Chromium pick a GPU;
// - dawn (ENCLAVE_BENCH_WEBGPU_RUNTIME=dawn): Dawn, the WebGPU implementation inside Chromium and
//   Electron, in Node (the `webgpu` package) on the system's Vulkan driver: how the figure for a
//   GPU machine without a browser is taken.
// Nothing here touches the network.
const env = process.env;
const RUNTIME = env.ENCLAVE_BENCH_WEBGPU_RUNTIME ?? 'chromium';
const ITERATIONS = Number(env.ENCLAVE_BENCH_GPU_ITERATIONS ?? 1_000_000);
const KERNEL_ITERATIONS = Number(env.ENCLAVE_BENCH_GPU_KERNEL_ITERATIONS ?? ITERATIONS);
// Runs whose statistics the GPU computes, comma-separated; the read-back run's length is checked against it.
const REPORT_ITERATIONS = (env.ENCLAVE_BENCH_GPU_REPORT_ITERATIONS ?? String(ITERATIONS)).split(',').map(Number);
const CHECK_ITERATIONS = Number(env.ENCLAVE_BENCH_GPU_CHECK_ITERATIONS ?? 100_000);
// A timed run of each conformance model with statistics on the GPU (their discrete outputs): 0 for none.
const CHECK_REPORT_ITERATIONS = Number(env.ENCLAVE_BENCH_GPU_CHECK_REPORT_ITERATIONS ?? 0);
const CHUNK = env.ENCLAVE_BENCH_GPU_CHUNK ? Number(env.ENCLAVE_BENCH_GPU_CHUNK) : undefined;
const KAT_FILE = env.ENCLAVE_KAT_FILE ?? join(process.cwd(), 'tests', 'data', 'random123', 'philox4x32_kat.txt');
const SEED = 1;
if (RUNTIME !== 'chromium' && RUNTIME !== 'dawn')
  throw new Error(`ENCLAVE_BENCH_WEBGPU_RUNTIME is chromium or dawn, not ${RUNTIME}.`);

// Loaded from the repository's node_modules at run time: the bench bundle must not inline them.
const load = createRequire(join(process.cwd(), 'package.json'));
const esbuild = load('esbuild') as typeof Esbuild;

/** The Random123 vectors; none when the file is not there. */
function readVectors(): PhiloxVector[] {
  return existsSync(KAT_FILE) ? parsePhiloxVectors(readFileSync(KAT_FILE, 'utf8')) : [];
}

/** The example models, every distribution and operator, and large discrete tables: each output compared with the CPU's. */
function conformanceChecks(): ConformanceCheck[] {
  const folder = join(process.cwd(), 'resources', 'models');
  const examples = readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .map((file) => ({
      name: file,
      model: JSON.parse(readFileSync(join(folder, file), 'utf8')) as unknown,
      iterations: CHECK_ITERATIONS,
      stepped: [] as string[],
    }));
  return [
    ...examples,
    {
      name: 'every distribution and operator',
      model: EVERY_DISTRIBUTION,
      iterations: CHECK_ITERATIONS,
      stepped: [...STEPPED],
    },
    {
      name: 'large discrete tables',
      model: LARGE_DISCRETE,
      iterations: CHECK_ITERATIONS,
      stepped: LARGE_DISCRETE.outputs,
    },
    // Poisson(3) from its step table: a u within one f32 rounding of a step may take the next count.
    {
      name: 'counts and zero-inflated outputs',
      model: DISCRETE_OUTPUTS,
      iterations: CHECK_ITERATIONS,
      stepped: ['hits', 'k'],
    },
  ];
}

/** The engine as the e2e harness builds it for a page: WGSL through Vite's `?raw`, zod jitless under the CSP. */
function bundleEngine(): Promise<string> {
  return bundleForPage(
    esbuild.build,
    process.cwd(),
    [
      "import '../../app/zod-config';",
      "import * as engine from '../../../tests/support/webgpu/index';",
      "import { compileModel } from '../../../common/engine/compile-model';",
      "import { simulateCpu } from '../../../common/engine/simulate-cpu';",
      "import { summarize } from '../../../common/engine/statistics';",
      '(globalThis as unknown as { __enclaveBench: unknown }).__enclaveBench = { engine, compileModel, simulateCpu, summarize };',
    ],
    'webgpu-bench-entry.ts',
  );
}

async function inChromium(bundle: string, args: MeasureArgs): Promise<MeasureResult> {
  const { chromium } = load('playwright-core') as typeof PlaywrightCore;
  const CSP = "default-src 'none'; script-src 'self'";
  const server = createServer((request, response) => {
    const headers = { 'Content-Security-Policy': CSP, 'Cache-Control': 'no-store' };
    if (request.url === '/')
      response
        .writeHead(200, { ...headers, 'Content-Type': 'text/html' })
        .end('<!doctype html><title>Enclave WebGPU benchmark</title><script src="/engine.js"></script>');
    else if (request.url === '/engine.js')
      response.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' }).end(bundle);
    else response.writeHead(404, headers).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const browser = await chromium.launch({
    executablePath: env.ENCLAVE_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      ...OFFLINE_SWITCHES,
      '--enable-unsafe-webgpu',
      '--enable-features=Vulkan',
      ...(env.ENCLAVE_BENCH_GPU_ADAPTER === 'default' ? [] : ['--use-webgpu-adapter=swiftshader']),
    ],
  });
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction(() => '__enclaveBench' in globalThis);
    const result = await page.evaluate(measureWebGpu, args);
    if (problems.length > 0) throw new Error(`The benchmark page reported errors: ${problems.join('; ')}`);
    return result;
  } finally {
    await browser.close();
    server.close();
  }
}

async function inDawn(bundle: string, args: MeasureArgs): Promise<MeasureResult> {
  const webgpu = (await import(pathToFileURL(load.resolve('webgpu')).href)) as {
    create(flags: string[]): unknown;
    globals: object;
  };
  // The browser's globals the engine uses (GPUBufferUsage, GPUMapMode, …) and navigator.gpu.
  Object.assign(globalThis, webgpu.globals);
  const gpu = webgpu.create(env.ENCLAVE_BENCH_DAWN_FLAGS ? env.ENCLAVE_BENCH_DAWN_FLAGS.split(',') : []);
  const scope = globalThis as unknown as { navigator?: object };
  if (scope.navigator) Object.defineProperty(scope.navigator, 'gpu', { value: gpu, configurable: true });
  else scope.navigator = { gpu };
  runInThisContext(bundle, { filename: 'webgpu-bench-entry.js' });
  return measureWebGpu(args);
}

const vectors = readVectors();
const args: MeasureArgs = {
  model: REFERENCE_MODEL,
  output: 'total',
  seed: SEED,
  iterations: ITERATIONS,
  kernelIterations: KERNEL_ITERATIONS,
  reportIterations: REPORT_ITERATIONS,
  chunkIterations: CHUNK,
  compare: Math.min(ITERATIONS, 1_000_000),
  vectors,
  checks: conformanceChecks(),
  checkReportIterations: CHECK_REPORT_ITERATIONS,
};
const bundle = await bundleEngine();
const gpu = RUNTIME === 'dawn' ? await inDawn(bundle, args) : await inChromium(bundle, args);

const compiled = compileModel(REFERENCE_MODEL);
if (!compiled.ok) throw new Error(compiled.errors.join('\n'));
const cpuStart = process.hrtime.bigint();
const cpu = simulateCpu(compiled.compiled, { iterations: ITERATIONS, seed: SEED });
const cpuSeconds = Number(process.hrtime.bigint() - cpuStart) / 1e9;
const cpuMean = cpu.outputs.total!.reduce((s, v) => s + v, 0) / ITERATIONS;

const count = (n: number) => n.toLocaleString('en-US');
const rate = (n: number, s: number) => (n / s).toLocaleString('en-US', { maximumFractionDigits: 0 });
const kernel = gpu.kernelRuns.reduce((best, run) => (run.kernelMs < best.kernelMs ? run : best));
const totalSeconds = gpu.totalMs / 1000;
console.log(
  `reference model, WebGPU (${RUNTIME === 'dawn' ? 'Dawn in Node' : 'Chromium'}) on ${gpu.adapter}${gpu.fallback ? ' (fallback adapter)' : ''}`,
);
console.log(
  `  Random123 known-answer vectors on this device: ${vectors.length === 0 ? `not checked (${KAT_FILE} is missing)` : `${gpu.katPassed} of ${vectors.length} pass${gpu.katFailed.length ? `; failed: ${gpu.katFailed.join('; ')}` : ''}`}`,
);
console.log(`  first run (pipelines, tables):      ${(gpu.warmMs / 1000).toFixed(2)} s`);
console.log(
  `  kernels and GPU moments, no read-back, ${count(KERNEL_ITERATIONS)} iterations in ${kernel.chunks} chunk${kernel.chunks === 1 ? '' : 's'} (best of ${gpu.kernelRuns.length}: ${gpu.kernelRuns.map((r) => (r.kernelMs / 1000).toFixed(3)).join(', ')} s):`,
);
console.log(
  `      ${(kernel.kernelMs / 1000).toFixed(3)} s = ${rate(KERNEL_ITERATIONS, kernel.kernelMs / 1000)} iterations/s`,
);
console.log(
  `  ${count(ITERATIONS)} iterations with every value read back: ${totalSeconds.toFixed(2)} s = ${rate(ITERATIONS, totalSeconds)} iterations/s (mean ${gpu.valuesMean.toFixed(3)}; GPU-reduced ${gpu.momentsMean.toFixed(3)})`,
);
/** Which outputs took the range pass (discrete) and which were read back whole, if any. */
function wholeOrSingle(readBack: string[], singleValued: string[]): string {
  const parts = [
    singleValued.length ? `single-value bins: ${singleValued.join(', ')}` : '',
    readBack.length ? `read back whole: ${readBack.join(', ')}` : '',
  ].filter(Boolean);
  return parts.length ? `; ${parts.join('; ')}` : '';
}
for (const report of gpu.reports) {
  const seconds = report.ms / 1000;
  console.log(
    `  ${count(report.iterations)} iterations with statistics on the GPU (exact percentiles, nothing else read back): ${seconds.toFixed(3)} s = ${rate(report.iterations, seconds)} iterations/s (mean ${report.mean.toFixed(3)}, median ${report.p50.toFixed(3)}, p99 ${report.p99.toFixed(3)})${report.sameAsReadBack ? `; equal to the read-back run's statistics: ${report.sameAsReadBack}` : ''}`,
  );
  const t = report.timing;
  if (t)
    console.log(
      `      passes: moments ${t.momentsMs.toFixed(0)} ms, bins ${t.binsMs.toFixed(0)} ms, ${t.rangeMs ? `range ${t.rangeMs.toFixed(0)} ms, ` : ''}collect ${t.collectMs.toFixed(0)} ms; host ${t.hostMs.toFixed(0)} ms for ${count(t.collected)} collected values${wholeOrSingle(t.readBack, t.singleValued)}`,
    );
}
console.log(
  `  GPU values against the CPU engine's, first ${count(args.compare)} iterations: largest difference ${gpu.maxRelativeDifference.toExponential(2)} (relative to max(|value|, 5–95% spread); tolerance 1e-5)`,
);
console.log(
  `  every output of these models against the CPU engine, ${count(CHECK_ITERATIONS)} iterations each (tolerance 1e-5; outputs that round a continuous value may step in 0.1%):`,
);
let conformant = true;
for (const check of gpu.conformance) {
  const worst = check.outputs.reduce((a, b) => (b.largest > a.largest ? b : a));
  const stepping = check.outputs.filter((o) => o.beyond > 0);
  const failed = check.outputs.filter((o) => o.beyond > (o.stepped ? 1e-3 : 0));
  if (failed.length > 0 || check.statisticsDiffer.length > 0) conformant = false;
  const steps = stepping.length
    ? `; beyond tolerance: ${stepping.map((o) => `${o.output} ${(o.beyond * 100).toFixed(3)}%`).join(', ')}`
    : '';
  console.log(
    `      ${check.name}: ${check.outputs.length} outputs, largest difference ${worst.largest.toExponential(2)} (${worst.output})${steps}${failed.length ? ' — FAILS' : ''}`,
  );
  const gpuStatistics = check.statisticsDiffer.length
    ? `differ from summarize() for ${check.statisticsDiffer.join(', ')} — FAILS`
    : 'equal to summarize() of its values read back';
  console.log(`        statistics on the GPU: ${gpuStatistics}${wholeOrSingle(check.readBack, check.singleValued)}`);
}
for (const report of gpu.checkReports) {
  const seconds = report.ms / 1000;
  const t = report.timing;
  console.log(
    `      ${report.name}, ${count(report.iterations)} iterations with statistics on the GPU: ${seconds.toFixed(3)} s = ${rate(report.iterations, seconds)} iterations/s${t ? `; passes: moments ${t.momentsMs.toFixed(0)} ms, bins ${t.binsMs.toFixed(0)} ms, range ${t.rangeMs.toFixed(0)} ms, collect ${t.collectMs.toFixed(0)} ms; host ${t.hostMs.toFixed(0)} ms for ${count(t.collected)} collected values${wholeOrSingle(t.readBack, t.singleValued)}` : ''}`,
  );
}
console.log(
  `  CPU engine, one core (simulateCpu), ${count(ITERATIONS)} iterations: ${cpuSeconds.toFixed(2)} s = ${rate(ITERATIONS, cpuSeconds)} iterations/s (mean ${cpuMean.toFixed(3)})`,
);
console.log(
  `  ratio WebGPU (with read-back) / CPU one core: ${(cpuSeconds / totalSeconds).toFixed(2)}×; kernels alone / CPU one core: ${(cpuSeconds / ITERATIONS / (kernel.kernelMs / 1000 / KERNEL_ITERATIONS)).toFixed(2)}×`,
);
if (
  gpu.katFailed.length > 0 ||
  gpu.maxRelativeDifference > 1e-5 ||
  !conformant ||
  gpu.reports.some((r) => r.sameAsReadBack !== null && r.sameAsReadBack !== 'yes')
)
  process.exitCode = 1;
// Dawn keeps Node's event loop alive after the device is gone.
if (RUNTIME === 'dawn') process.exit();
