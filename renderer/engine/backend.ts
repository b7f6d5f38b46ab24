/**
 * What every simulation backend in the renderer offers (the WebGPU kernel and the CPU Web Worker
 * pool), so the run screen and the `auto` calibration treat them alike.
 */
import type { CompiledModel } from '../../common/engine/compile-model';

export type EngineKind = 'webgpu' | 'cpu';

export interface BackendRunOptions {
  iterations: number;
  seed: number;
  sampling: 'mc' | 'lhs';
  /** Keep the first this-many iterations of every input (sensitivity analysis needs them). */
  keepInputs: number;
  /** Aborting rejects the run with RunCancelledError at the next chunk boundary. */
  signal?: AbortSignal;
  /** Called after every chunk with iterations done so far. */
  onProgress?: (done: number, total: number) => void;
}

export interface BackendValues {
  /** Every iteration of every output, in iteration order. */
  outputs: Record<string, Float64Array>;
  /** The first keepInputs iterations of every input. */
  inputs: Record<string, Float64Array>;
}

export interface SimulationBackend {
  readonly kind: EngineKind;
  /** What it runs on, in words an analyst can read: "WebGPU on google / swiftshader", "CPU, 2 workers". */
  readonly description: string;
  run(compiled: CompiledModel, options: BackendRunOptions): Promise<BackendValues>;
  /** Releases workers or GPU buffers; the backend is not used afterwards. */
  dispose(): void;
}

/** The analyst pressed Cancel: not a failure, and nothing of the run is kept. */
export class RunCancelledError extends Error {
  constructor() {
    super('The run was cancelled.');
    this.name = 'RunCancelledError';
  }
}
