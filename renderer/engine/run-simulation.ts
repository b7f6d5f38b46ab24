/**
 * Runs a simulation in the app: picks the backend (calibrating both for `auto`), runs it, falls
 * back to the CPU workers when the GPU device is lost mid-run, and builds the summary in a worker.
 */
import type { RunSamples } from '../../common/engine/analysis/run-samples';
import type { CompiledModel } from '../../common/engine/compile-model';
import type { ConvergenceTrace } from '../../common/engine/cpu/convergence-trace';
import { SENSITIVITY_ITERATIONS, type SimulationSummary } from '../../common/engine/summary';
import { RunCancelledError, type EngineKind } from './backend';
import { stopAnalysisWorker } from './analysis-client';
import { CpuWorkerPool, prestartSummaryWorker, stopSummaryWorker, summarizeInWorker, type SummaryPieces } from './cpu';
import { startEngineWorkerPort } from './cpu/worker-url';
import { runMemoryRefusal } from './memory-check';
import { endTraces, keptIterationsFor, splitSamples } from './run-samples';
import {
  calibrationIterationsFor,
  chooseByCalibration,
  fallBackAfterDeviceLoss,
  fallBackForModel,
  planEngine,
  type EngineChoice,
  type EngineDecision,
  type GpuCalibration,
  type Measurement,
  type WebGpuStatus,
} from './select-engine';
import {
  createWebGpuBackend,
  openComputeDevice,
  WebGpuDeviceLostError,
  WebGpuModelError,
  type WebGpuBackend,
} from './webgpu';

export interface RunRequest {
  iterations: number;
  seed: number;
  sampling: 'mc' | 'lhs';
  engine: EngineChoice;
  signal?: AbortSignal;
  /** What the run is doing now, for the screen. */
  onStage?: (stage: 'calibrating' | 'running' | 'reporting', detail: string) => void;
  onProgress?: (done: number, total: number) => void;
}

export interface RunResult {
  engine: EngineKind;
  /** The backend in words: "CPU workers (16)", "WebGPU on nvidia / ampere". */
  description: string;
  reason: string;
  /** The run started on WebGPU, lost the device, and ran again on the CPU workers. */
  fellBack: boolean;
  iterations: number;
  seed: number;
  sampling: 'mc' | 'lhs';
  /** The simulation itself (not the calibration or the statistics). */
  seconds: number;
  iterationsPerSecond: number;
  summarySeconds: number;
  summary: SimulationSummary;
  /** Each output's mean and P5/P50/P95 against iterations: its first kept iterations, then the whole run. */
  trace: Record<string, ConvergenceTrace>;
  /** The first iterations of every input and output (at most the cap, run-samples.ts), or null. */
  samples: RunSamples | null;
}

let pool: CpuWorkerPool | null = null;
let gpu: Promise<{ backend: WebGpuBackend } | { reason: string }> | null = null;
let gpuDevice: GPUDevice | null = null;

function cpuPool(): CpuWorkerPool {
  pool ??= new CpuWorkerPool(navigator.hardwareConcurrency || 2, startEngineWorkerPort);
  return pool;
}

/** Opens the GPU device once and keeps the backend until the device is lost (or forgetEngineState). */
function webGpu(): Promise<{ backend: WebGpuBackend } | { reason: string }> {
  if (gpu) return gpu;
  let mine: Promise<{ backend: WebGpuBackend } | { reason: string }> | null = null;
  mine = (async () => {
    try {
      const device = await openComputeDevice();
      const info = device.adapterInfo;
      const description = `WebGPU on ${info?.vendor || 'unknown vendor'} / ${info?.architecture || 'unknown architecture'}`;
      const backend = createWebGpuBackend(device, description);
      gpuDevice = device;
      void device.lost.then(() => {
        backend.dispose();
        if (gpu === mine) gpu = null;
        if (gpuDevice === device) gpuDevice = null;
      });
      return { backend };
    } catch (error) {
      if (gpu === mine) gpu = null;
      return { reason: error instanceof Error ? error.message : String(error) };
    }
  })();
  gpu = mine;
  return mine;
}

/**
 * Forgets what runs leave behind (on lock, or when another user signs in): the CPU workers, which
 * hold the last model compiled, and the GPU device with its buffers and compiled programs. The
 * next run starts them afresh.
 */
export function forgetEngineState(): void {
  pool?.dispose();
  pool = null;
  stopSummaryWorker();
  stopAnalysisWorker();
  gpu = null;
  gpuDevice?.destroy();
  gpuDevice = null;
}

/**
 * Starts the CPU workers and compiles the model in each while the analyst sets the options, so
 * the first run's time is the simulation's, not the workers' start. A failure here shows again,
 * with its message, when the run itself starts the workers.
 */
export function prepareCpuWorkers(compiled: CompiledModel): void {
  cpuPool()
    .warmUp(compiled)
    .catch(() => undefined);
}

const now = () => performance.now() / 1000;

/** A warm-up run (pipelines, workers, compiled model, JIT), then a timed one of what the run will do. */
async function measure(
  backend: CpuWorkerPool | WebGpuBackend,
  compiled: CompiledModel,
  request: RunRequest,
  iterations: number,
): Promise<Measurement> {
  const options = {
    seed: request.seed,
    sampling: request.sampling,
    keepInputs: 0,
    ...(request.signal ? { signal: request.signal } : {}),
  };
  // The GPU's real run computes its statistics there (or reads every value back where it cannot).
  const run =
    backend instanceof CpuWorkerPool
      ? (n: number) => backend.run(compiled, { ...options, iterations: n })
      : (n: number) => backend.runForSummary(compiled, { ...options, iterations: n });
  if (backend instanceof CpuWorkerPool) await backend.warmUp(compiled, request.signal);
  else await run(Math.min(iterations, 4_096));
  const start = now();
  await run(iterations);
  return { description: backend.description, iterationsPerSecond: iterations / Math.max(now() - start, 1e-6) };
}

async function decide(
  compiled: CompiledModel,
  request: RunRequest,
): Promise<{ decision: EngineDecision; gpuBackend: WebGpuBackend | null }> {
  const cpu = cpuPool();
  const opened = request.engine === 'cpu' ? null : await webGpu();
  const status: WebGpuStatus = !opened
    ? { available: false, reason: 'not asked for' }
    : 'backend' in opened
      ? { available: true, description: opened.backend.description }
      : { available: false, reason: opened.reason };
  const plan = planEngine(request.engine, status, cpu.description);
  const gpuBackend = opened && 'backend' in opened ? opened.backend : null;
  if (!('calibrate' in plan)) return { decision: plan, gpuBackend };
  const n = calibrationIterationsFor(cpu.size, request.iterations);
  request.onStage?.('calibrating', `Timing ${cpu.description} on ${n.toLocaleString('en-US')} iterations…`);
  const cpuSpeed = await measure(cpu, compiled, request, n);
  request.onStage?.('calibrating', `Timing ${gpuBackend!.description} on ${n.toLocaleString('en-US')} iterations…`);
  let gpuSpeed: GpuCalibration;
  try {
    gpuSpeed = await measure(gpuBackend!, compiled, request, n);
  } catch (error) {
    if (error instanceof RunCancelledError) throw error;
    gpuSpeed = { description: gpuBackend!.description, failed: error instanceof Error ? error.message : String(error) };
  }
  return { decision: chooseByCalibration(cpuSpeed, gpuSpeed, n), gpuBackend };
}

/** Runs on the chosen backend; the pieces the summary needs come back (statistics from the CPU workers or the GPU, and the kept iterations). */
async function simulate(
  engine: EngineKind,
  gpuBackend: WebGpuBackend | null,
  compiled: CompiledModel,
  request: RunRequest,
): Promise<SummaryPieces> {
  const options = {
    iterations: request.iterations,
    seed: request.seed,
    sampling: request.sampling,
    // The samples the analyses read, and within them the iterations sensitivity uses.
    keepInputs: Math.max(
      Math.min(request.iterations, SENSITIVITY_ITERATIONS),
      keptIterationsFor(request.iterations, compiled.inputs.length + compiled.outputs.length),
    ),
    ...(request.signal ? { signal: request.signal } : {}),
    ...(request.onProgress ? { onProgress: request.onProgress } : {}),
  };
  const cpu = cpuPool();
  if (engine === 'cpu' || !gpuBackend) {
    // Before the workers take the memory (a first run, or a fall-back from the GPU): a run the page
    // cannot hold is refused with the figures. The GPU keeps its values on the device, in chunks.
    const deviceMemory = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
    const refusal = runMemoryRefusal(compiled, request, cpu.size, deviceMemory);
    if (refusal) throw new Error(refusal);
    // Statistics on the workers (common/engine/cpu, as in the CLI): only the kept iterations come back.
    return cpu.runForSummary(compiled, options);
  }
  // Statistics on the GPU: only the iterations sensitivity needs come back (every value where it cannot).
  const values = await gpuBackend.runForSummary(compiled, options);
  const wrap = (record: Record<string, Float64Array>) =>
    Object.fromEntries(Object.entries(record).map(([name, v]) => [name, [v]]));
  return {
    outputs: wrap(values.outputs),
    inputs: wrap(values.inputs),
    ...(values.statistics ? { statistics: values.statistics } : {}),
  };
}

export async function runSimulation(compiled: CompiledModel, request: RunRequest): Promise<RunResult> {
  const { decision: chosen, gpuBackend } = await decide(compiled, request);
  let decision = chosen;
  let fellBack = false;
  request.onStage?.('running', decision.reason);
  prestartSummaryWorker();
  let start = now();
  let pieces: SummaryPieces;
  try {
    pieces = await simulate(decision.engine, gpuBackend, compiled, request);
  } catch (error) {
    if (error instanceof WebGpuModelError) decision = fallBackForModel(decision, error.message, cpuPool().description);
    else if (error instanceof WebGpuDeviceLostError) {
      gpu = null;
      decision = fallBackAfterDeviceLoss(decision, error.message, cpuPool().description);
    } else throw error;
    fellBack = true;
    request.onStage?.('running', decision.reason);
    start = now();
    pieces = await simulate('cpu', null, compiled, request);
  }
  const seconds = now() - start;
  request.onStage?.('reporting', 'Computing statistics and sensitivity…');
  const summaryStart = now();
  const kept = keptIterationsFor(request.iterations, compiled.inputs.length + compiled.outputs.length);
  const { samples, pieces: forSummary } = await splitSamples(
    pieces,
    kept,
    Math.min(request.iterations, SENSITIVITY_ITERATIONS),
  );
  const { summary, traces } = await summarizeInWorker(forSummary, request.signal);
  return {
    engine: decision.engine,
    description: decision.engine === 'cpu' ? cpuPool().description : gpuBackend!.description,
    reason: decision.reason,
    fellBack,
    iterations: request.iterations,
    seed: request.seed,
    sampling: request.sampling,
    seconds,
    iterationsPerSecond: request.iterations / Math.max(seconds, 1e-6),
    summarySeconds: now() - summaryStart,
    summary,
    trace: endTraces(traces, summary, request.iterations),
    samples,
  };
}
