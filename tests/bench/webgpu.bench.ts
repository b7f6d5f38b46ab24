import type * as Esbuild from 'esbuild';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as PlaywrightCore from 'playwright-core';
import { compileModel } from '../../common/engine/compile-model';
import { simulateCpu } from '../../common/engine/simulate-cpu';
import { OFFLINE_SWITCHES } from '../../electron/hosts/chromium';
import { bundleForPage } from '../support/page-bundle';
import { REFERENCE_MODEL } from './reference-model';

// WebGPU benchmark: the reference model of engine.bench.ts run by the WebGPU backend in Debian's
// Chromium (headless, the e2e tests' switches: offline, WebGPU on SwiftShader unless
// ENCLAVE_BENCH_GPU_ADAPTER=default lets Chromium pick a GPU), in a page served from 127.0.0.1
// under the app's CSP. Reports the kernels alone and the whole run with every value read back,
// next to the CPU engine on one core in the same process. Nothing here touches the network.
const ITERATIONS = Number(process.env.ENCLAVE_BENCH_GPU_ITERATIONS ?? 1_000_000);
const SEED = 1;

const model = REFERENCE_MODEL;

// Loaded from the repository's node_modules at run time: the bench bundle must not inline them.
const load = createRequire(join(process.cwd(), 'package.json'));
const esbuild = load('esbuild') as typeof Esbuild;
const { chromium } = load('playwright-core') as typeof PlaywrightCore;

/** The engine for the page, as the e2e harness builds it: WGSL through Vite's `?raw`, zod jitless under the CSP. */
function bundleEngine(): Promise<string> {
  return bundleForPage(
    esbuild.build,
    process.cwd(),
    [
      "import '../../app/zod-config';",
      "import * as engine from './index';",
      "import { compileModel } from '../../../common/engine/compile-model';",
      '(globalThis as unknown as { __enclaveBench: unknown }).__enclaveBench = { engine, compileModel };',
    ],
    'webgpu-bench-entry.ts',
  );
}

/** What the page sees of the engine (this file is type-checked without DOM or WebGPU types). */
interface BenchGlobal {
  compileModel(raw: unknown): { ok: true; compiled: unknown } | { ok: false; errors: string[] };
  engine: {
    openComputeDevice(gpu?: undefined, label?: string): Promise<{ destroy(): void }>;
    createWebGpuBackend(
      device: unknown,
      description: string,
    ): { run(compiled: unknown, options: { iterations: number; seed: number; sampling: 'mc'; keepInputs: number }): Promise<{ outputs: Record<string, Float64Array>; moments: Record<string, { mean: number }> }> };
    timeWebGpuKernel(device: unknown, compiled: unknown, options: { iterations: number; seed: number; sampling: 'mc' }): Promise<{ kernelMs: number; chunks: number }>;
  };
}

const CSP = "default-src 'none'; script-src 'self'";
const bundle = await bundleEngine();
const server = createServer((request, response) => {
  const headers = { 'Content-Security-Policy': CSP, 'Cache-Control': 'no-store' };
  if (request.url === '/') response.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end('<!doctype html><title>Enclave WebGPU benchmark</title><script src="/engine.js"></script>');
  else if (request.url === '/engine.js') response.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' }).end(bundle);
  else response.writeHead(404, headers).end();
});
await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
const browser = await chromium.launch({
  executablePath: process.env.ENCLAVE_CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    ...OFFLINE_SWITCHES,
    '--enable-unsafe-webgpu',
    '--enable-features=Vulkan',
    ...(process.env.ENCLAVE_BENCH_GPU_ADAPTER === 'default' ? [] : ['--use-webgpu-adapter=swiftshader']),
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
  const gpu = await page.evaluate(
    async ({ model, iterations, seed }) => {
      const { engine, compileModel } = (globalThis as unknown as { __enclaveBench: BenchGlobal }).__enclaveBench;
      type AdapterInfo = { vendor: string; architecture: string; description: string; isFallbackAdapter?: boolean };
      const gpu = (navigator as unknown as { gpu: { requestAdapter(options: object): Promise<{ info: AdapterInfo } | null> } }).gpu;
      const info = (await gpu.requestAdapter({ powerPreference: 'high-performance' }))?.info;
      const compiled = compileModel(model);
      if (!compiled.ok) throw new Error(compiled.errors.join('\n'));
      const device = await engine.openComputeDevice(undefined, 'enclave-bench');
      const backend = engine.createWebGpuBackend(device, 'bench');
      const options = { iterations, seed, sampling: 'mc' as const, keepInputs: 0 };
      let start = performance.now();
      // The first run compiles the pipelines and builds the PERT table.
      await backend.run(compiled.compiled, { ...options, iterations: 4096 });
      const warmMs = performance.now() - start;
      const kernel = await engine.timeWebGpuKernel(device, compiled.compiled, options);
      start = performance.now();
      const values = await backend.run(compiled.compiled, options);
      const totalMs = performance.now() - start;
      const total = values.outputs.total!;
      let sum = 0;
      for (let i = 0; i < total.length; i++) sum += total[i]!;
      device.destroy();
      return {
        adapter: info ? [info.vendor, info.architecture, info.description].filter(Boolean).join(' / ') : 'unknown adapter',
        fallback: Boolean(info?.isFallbackAdapter),
        warmMs,
        kernelMs: kernel.kernelMs,
        chunks: kernel.chunks,
        totalMs,
        momentsMean: values.moments.total!.mean,
        valuesMean: sum / total.length,
      };
    },
    { model, iterations: ITERATIONS, seed: SEED },
  );
  if (problems.length > 0) throw new Error(`The benchmark page reported errors: ${problems.join('; ')}`);

  const compiled = compileModel(model);
  if (!compiled.ok) throw new Error(compiled.errors.join('\n'));
  const cpuStart = process.hrtime.bigint();
  const cpu = simulateCpu(compiled.compiled, { iterations: ITERATIONS, seed: SEED });
  const cpuSeconds = Number(process.hrtime.bigint() - cpuStart) / 1e9;
  const cpuMean = cpu.outputs.total!.reduce((s, v) => s + v, 0) / ITERATIONS;

  const rate = (s: number) => (ITERATIONS / s).toLocaleString('en-US', { maximumFractionDigits: 0 });
  const kernelSeconds = gpu.kernelMs / 1000;
  const totalSeconds = gpu.totalMs / 1000;
  console.log(`reference model, ${ITERATIONS.toLocaleString('en-US')} iterations, WebGPU on ${gpu.adapter}${gpu.fallback ? ' (fallback adapter)' : ''}`);
  console.log(`  first run (pipelines, tables):      ${(gpu.warmMs / 1000).toFixed(2)} s`);
  console.log(`  kernels only (${gpu.chunks} chunk${gpu.chunks === 1 ? '' : 's'}, no read-back): ${kernelSeconds.toFixed(2)} s = ${rate(kernelSeconds)} iterations/s`);
  console.log(`  with every value read back:         ${totalSeconds.toFixed(2)} s = ${rate(totalSeconds)} iterations/s (mean ${gpu.valuesMean.toFixed(3)}; GPU-reduced ${gpu.momentsMean.toFixed(3)})`);
  console.log(`  CPU engine, one core (simulateCpu): ${cpuSeconds.toFixed(2)} s = ${rate(cpuSeconds)} iterations/s (mean ${cpuMean.toFixed(3)})`);
  console.log(`  ratio WebGPU (with read-back) / CPU one core: ${(cpuSeconds / totalSeconds).toFixed(2)}×`);
} finally {
  await browser.close();
  server.close();
}
