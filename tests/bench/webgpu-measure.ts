/**
 * The WebGPU measurement of webgpu.bench.ts, run where the engine bundle is installed: in a
 * Chromium page (passed to page.evaluate, so it must use nothing but its argument and globals) or
 * in Node on Dawn. It checks the Random123 vectors on the device, times the kernels alone and a run
 * with every value read back, and compares the GPU's values with the CPU engine's.
 */
import type { PhiloxVector } from '../support/philox-vectors';
import type { GpuStatisticsTiming } from '../../renderer/engine/webgpu/simulation/stat-plan';

/** What the engine bundle installs as globalThis.__enclaveBench (this file has no DOM or WebGPU types). */
export interface BenchGlobal {
  compileModel(raw: unknown): { ok: true; compiled: unknown } | { ok: false; errors: string[] };
  simulateCpu(
    compiled: unknown,
    options: { iterations: number; seed: number },
  ): { outputs: Record<string, Float64Array> };
  summarize(values: Float64Array): ReportStatistics;
  engine: {
    openComputeDevice(gpu: unknown, label?: string): Promise<{ destroy(): void; limits: Record<string, number> }>;
    runPhiloxBlocks(device: unknown, counters: Uint32Array, keys: Uint32Array, rounds: number): Promise<Uint32Array>;
    createWebGpuBackend(
      device: unknown,
      description: string,
      options: { chunkIterations?: number; statisticsOnGpu?: boolean },
    ): {
      run(
        compiled: unknown,
        options: { iterations: number; seed: number; sampling: 'mc'; keepInputs: number },
      ): Promise<{ outputs: Record<string, Float64Array>; moments: Record<string, { mean: number }> }>;
      runForSummary(
        compiled: unknown,
        options: { iterations: number; seed: number; sampling: 'mc'; keepInputs: number },
      ): Promise<{ statistics: Record<string, ReportStatistics> | null; timing?: GpuStatisticsTiming }>;
    };
    timeWebGpuKernel(
      device: unknown,
      compiled: unknown,
      options: { iterations: number; seed: number; sampling: 'mc'; chunkIterations?: number },
    ): Promise<{ kernelMs: number; chunks: number }>;
  };
}

/** The parts of OutputStatistics the benchmark compares. */
export interface ReportStatistics {
  count: number;
  mean: number;
  sd: number;
  percentiles: Record<string, number>;
  cdf: { p: number; x: number }[];
}

export interface MeasureArgs {
  model: unknown;
  output: string;
  seed: number;
  /** Iterations of the run whose every value is read back. */
  iterations: number;
  /** Iterations of the kernel-only timing (the GPU's throughput; may be far more than `iterations`). */
  kernelIterations: number;
  /** Iterations per dispatch; undefined for the engine's default. */
  chunkIterations: number | undefined;
  /** Iterations of each run whose statistics are computed on the GPU (runForSummary), timed. */
  reportIterations: number[];
  /** Leading iterations compared value by value with the CPU engine. */
  compare: number;
  vectors: Pick<PhiloxVector, 'rounds' | 'counter' | 'key' | 'expected'>[];
  /** Models whose every output is compared value by value with the CPU engine on this device. */
  checks: ConformanceCheck[];
  /** Iterations of a timed run with statistics on the GPU of each check model (discrete outputs among them); 0: none. */
  checkReportIterations: number;
}

export interface ConformanceCheck {
  name: string;
  model: unknown;
  iterations: number;
  /** Outputs that round, floor or ceil continuous values: f32 may land on the other side of a step. */
  stepped: string[];
}

export interface OutputAgreement {
  output: string;
  /** Largest |GPU − CPU| relative to max(|CPU value|, the CPU's 5–95% spread); NaN and infinities must match exactly. */
  largest: number;
  /** Share of iterations beyond the 1e-5 tolerance. */
  beyond: number;
  stepped: boolean;
}

export interface MeasureResult {
  adapter: string;
  fallback: boolean;
  katPassed: number;
  katFailed: string[];
  warmMs: number;
  kernelRuns: { kernelMs: number; chunks: number }[];
  totalMs: number;
  momentsMean: number;
  valuesMean: number;
  /** Largest |GPU − CPU| over the compared iterations, relative to max(|CPU value|, the CPU's 5–95% spread). */
  maxRelativeDifference: number;
  /** Per model: agreement with the CPU engine, and the outputs whose GPU statistics differ from summarize() of the GPU's values (should be none). */
  conformance: {
    name: string;
    outputs: OutputAgreement[];
    statisticsDiffer: string[];
    readBack: string[];
    singleValued: string[];
  }[];
  /** Per check model, a run of checkReportIterations with statistics on the GPU: its time and passes. */
  checkReports: { name: string; iterations: number; ms: number; timing: GpuStatisticsTiming | null }[];
  /** Runs with statistics on the GPU: time, and whether they equal summarize() of the read-back run's values. */
  reports: {
    iterations: number;
    ms: number;
    mean: number;
    p50: number;
    p99: number;
    sameAsReadBack: string | null;
    timing: GpuStatisticsTiming | null;
  }[];
}

export async function measureWebGpu(args: MeasureArgs): Promise<MeasureResult> {
  const { engine, compileModel, simulateCpu, summarize } = (globalThis as unknown as { __enclaveBench: BenchGlobal })
    .__enclaveBench;
  type AdapterInfo = {
    vendor: string;
    architecture: string;
    device: string;
    description: string;
    isFallbackAdapter?: boolean;
  };
  const gpu = (
    globalThis as unknown as {
      navigator: { gpu: { requestAdapter(options: object): Promise<{ info: AdapterInfo } | null> } };
    }
  ).navigator.gpu;
  const info = (await gpu.requestAdapter({ powerPreference: 'high-performance' }))?.info;
  const compiled = compileModel(args.model);
  if (!compiled.ok) throw new Error(compiled.errors.join('\n'));
  const device = await engine.openComputeDevice(gpu, 'enclave-bench');
  /** How far `gpuValues` is from `cpuValues` (defined inside: page.evaluate sends this function alone). */
  const agreement = (gpuValues: Float64Array, cpuValues: Float64Array): { largest: number; beyond: number } => {
    const finite = Float64Array.from(cpuValues.filter(Number.isFinite)).sort();
    const at = (q: number) => finite[Math.floor(q * (finite.length - 1))] ?? 0;
    const spread = at(0.95) - at(0.05);
    let largest = 0;
    let beyond = 0;
    for (let i = 0; i < cpuValues.length; i++) {
      const c = cpuValues[i]!;
      const g = gpuValues[i]!;
      const d = Number.isFinite(c)
        ? Math.abs(g - c) / Math.max(Math.abs(c), spread, Number.MIN_VALUE)
        : Object.is(g, c) || (Number.isNaN(g) && Number.isNaN(c))
          ? 0
          : Infinity;
      if (!(d <= largest)) largest = d;
      if (!(d <= 1e-5)) beyond++;
    }
    return { largest, beyond: beyond / cpuValues.length };
  };
  try {
    const katFailed: string[] = [];
    for (const v of args.vectors) {
      const words = await engine.runPhiloxBlocks(device, new Uint32Array(v.counter), new Uint32Array(v.key), v.rounds);
      if (Array.from(words).some((w, i) => w !== v.expected[i]))
        katFailed.push(`${v.rounds} rounds, counter ${v.counter.map((w) => w.toString(16)).join(' ')}`);
    }

    const backend = engine.createWebGpuBackend(device, 'bench', {
      chunkIterations: args.chunkIterations,
      statisticsOnGpu: true,
    });
    let start = performance.now();
    // The first run compiles the pipelines and builds the tables.
    await backend.run(compiled.compiled, { iterations: 4096, seed: args.seed, sampling: 'mc', keepInputs: 0 });
    const warmMs = performance.now() - start;
    const kernelRuns: { kernelMs: number; chunks: number }[] = [];
    for (let i = 0; i < 3; i++) {
      kernelRuns.push(
        await engine.timeWebGpuKernel(device, compiled.compiled, {
          iterations: args.kernelIterations,
          seed: args.seed,
          sampling: 'mc',
          chunkIterations: args.chunkIterations,
        }),
      );
    }
    start = performance.now();
    const values = await backend.run(compiled.compiled, {
      iterations: args.iterations,
      seed: args.seed,
      sampling: 'mc',
      keepInputs: 0,
    });
    const totalMs = performance.now() - start;
    const gpuValues = values.outputs[args.output]!;
    let sum = 0;
    for (let i = 0; i < gpuValues.length; i++) sum += gpuValues[i]!;

    // Statistics on the GPU. At the read-back run's length they must be summarize() of its values:
    // the same order statistics exactly, the mean and sd to f32 accumulation.
    const host = args.reportIterations.includes(args.iterations) ? summarize(gpuValues) : null;
    const reports: MeasureResult['reports'] = [];
    for (const iterations of args.reportIterations) {
      const began = performance.now();
      const report = await backend.runForSummary(compiled.compiled, {
        iterations,
        seed: args.seed,
        sampling: 'mc',
        keepInputs: 0,
      });
      const ms = performance.now() - began;
      const stats = report.statistics?.[args.output];
      if (!stats) throw new Error(`The GPU gave no statistics for ${iterations} iterations of the reference model.`);
      let sameAsReadBack: string | null = null;
      if (iterations === args.iterations && host) {
        const exact =
          JSON.stringify(stats.percentiles) === JSON.stringify(host.percentiles) &&
          JSON.stringify(stats.cdf) === JSON.stringify(host.cdf) &&
          stats.count === host.count;
        const close =
          Math.abs(stats.mean - host.mean) <= 1e-6 * Math.abs(host.mean) &&
          Math.abs(stats.sd - host.sd) <= 1e-5 * host.sd;
        sameAsReadBack =
          exact && close
            ? 'yes'
            : `no: percentiles ${JSON.stringify(stats.percentiles)} against ${JSON.stringify(host.percentiles)}, mean ${stats.mean} against ${host.mean}, sd ${stats.sd} against ${host.sd}`;
      }
      reports.push({
        iterations,
        ms,
        mean: stats.mean,
        p50: stats.percentiles.p50!,
        p99: stats.percentiles.p99!,
        sameAsReadBack,
        timing: report.timing ?? null,
      });
    }

    // Counter-based streams: the first `compare` iterations are the same draws in any run length.
    const cpuValues = simulateCpu(compiled.compiled, { iterations: args.compare, seed: args.seed }).outputs[
      args.output
    ]!;
    const { largest: maxRelativeDifference } = agreement(gpuValues.subarray(0, args.compare), cpuValues);

    const conformance: MeasureResult['conformance'] = [];
    for (const check of args.checks) {
      const model = compileModel(check.model);
      if (!model.ok) throw new Error(`${check.name}: ${model.errors.join('; ')}`);
      const onGpu = await backend.run(model.compiled, {
        iterations: check.iterations,
        seed: args.seed,
        sampling: 'mc',
        keepInputs: 0,
      });
      const onCpu = simulateCpu(model.compiled, { iterations: check.iterations, seed: args.seed });
      const outputs = Object.keys(onCpu.outputs).map((output) => ({
        output,
        stepped: check.stepped.includes(output),
        ...agreement(onGpu.outputs[output]!, onCpu.outputs[output]!),
      }));
      // Statistics on the GPU against summarize() of the values just read back from it: the same order statistics.
      const report = await backend.runForSummary(model.compiled, {
        iterations: check.iterations,
        seed: args.seed,
        sampling: 'mc',
        keepInputs: 0,
      });
      const differing = Object.keys(onCpu.outputs).filter((output) => {
        const gpuStats = report.statistics?.[output];
        const hostStats = summarize(onGpu.outputs[output]!);
        return (
          !gpuStats ||
          JSON.stringify([gpuStats.count, gpuStats.percentiles, gpuStats.cdf]) !==
            JSON.stringify([hostStats.count, hostStats.percentiles, hostStats.cdf])
        );
      });
      conformance.push({
        name: check.name,
        outputs,
        statisticsDiffer: differing,
        readBack: report.timing?.readBack ?? [],
        singleValued: report.timing?.singleValued ?? [],
      });
    }
    const checkReports: MeasureResult['checkReports'] = [];
    for (const check of args.checkReportIterations > 0 ? args.checks : []) {
      const model = compileModel(check.model);
      if (!model.ok) continue;
      const began = performance.now();
      const report = await backend.runForSummary(model.compiled, {
        iterations: args.checkReportIterations,
        seed: args.seed,
        sampling: 'mc',
        keepInputs: 0,
      });
      checkReports.push({
        name: check.name,
        iterations: args.checkReportIterations,
        ms: performance.now() - began,
        timing: report.timing ?? null,
      });
    }
    return {
      checkReports,
      adapter: info
        ? [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' / ')
        : 'unknown adapter',
      fallback: Boolean(info?.isFallbackAdapter),
      katPassed: args.vectors.length - katFailed.length,
      katFailed,
      warmMs,
      kernelRuns,
      totalMs,
      momentsMean: values.moments[args.output]!.mean,
      valuesMean: sum / gpuValues.length,
      maxRelativeDifference,
      conformance,
      reports,
    };
  } finally {
    device.destroy();
  }
}
