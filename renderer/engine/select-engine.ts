/**
 * Which backend runs a simulation, and why, in words an analyst can read. Pure: the run code
 * measures and this decides, so the unit tests pin every branch without a GPU or a worker.
 */
import type { EngineKind } from './backend';

export type EngineChoice = 'auto' | 'webgpu' | 'cpu';

/** Whether a WebGPU backend could be opened, and if not, what the browser said. */
export type WebGpuStatus = { available: true; description: string } | { available: false; reason: string };

/** A timed calibration run of the actual model. */
export interface Measurement {
  description: string;
  iterationsPerSecond: number;
}

/** The WebGPU calibration: a measurement, or why the backend could not run this model. */
export type GpuCalibration = Measurement | { description: string; failed: string };

export interface EngineDecision {
  engine: EngineKind;
  reason: string;
}

/** What to do before the run: use a backend as decided, or calibrate both first. */
export type EnginePlan = EngineDecision | { calibrate: true };

/**
 * How many iterations `auto` times on each backend: at least 50,000, and enough that every CPU
 * worker gets a compiled block (so the pool is measured whole), but never more than the run.
 */
export function calibrationIterationsFor(cpuWorkers: number, requested: number): number {
  return Math.min(requested, Math.max(50_000, Math.min(200_000, cpuWorkers * 8_192)));
}

/** "1.9M it/s", "420k it/s", "950 it/s". */
export function formatRate(iterationsPerSecond: number): string {
  const r = iterationsPerSecond;
  if (!Number.isFinite(r) || r <= 0) return '0 it/s';
  if (r >= 1e9) return `${(r / 1e9).toFixed(r >= 1e10 ? 0 : 1)}G it/s`;
  if (r >= 1e6) return `${(r / 1e6).toFixed(r >= 1e7 ? 0 : 1)}M it/s`;
  if (r >= 1e3) return `${(r / 1e3).toFixed(r >= 1e4 ? 0 : 1)}k it/s`;
  return `${Math.round(r)} it/s`;
}

/** The capability checks end their messages with "…; simulations will use CPU workers."; the reason says that itself. */
function cleanReason(reason: string): string {
  return reason.replace(/;?\s*simulations will use CPU workers\.?\s*$/i, '').replace(/\.$/, '');
}

export function planEngine(choice: EngineChoice, gpu: WebGpuStatus, cpuDescription: string): EnginePlan {
  if (choice === 'cpu') return { engine: 'cpu', reason: `${cpuDescription}, as chosen in the options` };
  if (!gpu.available) {
    const asked = choice === 'webgpu' ? 'WebGPU was chosen but is not available' : 'WebGPU is not available';
    return { engine: 'cpu', reason: `${asked} (${cleanReason(gpu.reason)}) — ran on ${cpuDescription}` };
  }
  if (choice === 'webgpu') return { engine: 'webgpu', reason: `${gpu.description}, as chosen in the options` };
  return { calibrate: true };
}

/**
 * `auto` after calibration: the faster backend on this model wins; a tie goes to the CPU workers
 * (no device to lose). A WebGPU backend that could not run the model at all leaves the CPU.
 */
export function chooseByCalibration(cpu: Measurement, gpu: GpuCalibration, iterations: number): EngineDecision {
  const cpuPart = `${cpu.description}: ${formatRate(cpu.iterationsPerSecond)}`;
  const measured = `measured on ${iterations.toLocaleString('en-US')} iterations of this model`;
  if ('failed' in gpu)
    return {
      engine: 'cpu',
      reason: `${cpuPart}; ${gpu.description} could not run this model (${gpu.failed}) — chose CPU`,
    };
  const gpuPart = `${gpu.description}: ${formatRate(gpu.iterationsPerSecond)}`;
  const engine: EngineKind = gpu.iterationsPerSecond > cpu.iterationsPerSecond ? 'webgpu' : 'cpu';
  return { engine, reason: `${cpuPart}; ${gpuPart} (${measured}) — chose ${engine === 'webgpu' ? 'WebGPU' : 'CPU'}` };
}

/** The WebGPU kernel cannot take this model (too many inputs for the GPU): the CPU workers run it, and the reason says why. */
export function fallBackForModel(first: EngineDecision, why: string, cpuDescription: string): EngineDecision {
  return {
    engine: 'cpu',
    reason: `${first.reason}. WebGPU cannot run this model (${why}), so it ran on ${cpuDescription}`,
  };
}

/** The WebGPU device went away mid-run: the run starts again on the CPU workers, and says so. */
export function fallBackAfterDeviceLoss(first: EngineDecision, loss: string, cpuDescription: string): EngineDecision {
  return {
    engine: 'cpu',
    reason: `${first.reason}. The WebGPU device was lost during the run (${loss}), so it ran again on ${cpuDescription}`,
  };
}
