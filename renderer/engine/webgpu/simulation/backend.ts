/**
 * The WebGPU simulation backend: a compiled model becomes one WGSL kernel (codegen.ts) that runs
 * the iterations in chunks of about a million. After each chunk the outputs (every value: exact
 * percentiles need them), the kept inputs and the GPU-reduced moments are read back, while the
 * next chunk already runs. Everything runs under the device's loss guard, so a lost device rejects
 * the run with WebGpuDeviceLostError (the caller falls back to CPU workers).
 */
import type { CompiledModel } from '../../../../common/engine/compile-model';
import { RunCancelledError, type BackendRunOptions, type BackendValues, type SimulationBackend } from '../../backend';
import type { OutputStatistics } from '../../../../common/engine/statistics';
import { guardDevice } from '../device-lost';
import {
  DEFAULT_CHUNK_ITERATIONS,
  FIRST_CHUNK_ITERATIONS,
  nextChunkIterations,
  SOFTWARE_CHUNK_ITERATIONS,
  statisticsChunkIterations,
} from './chunking';
import { ITERATIONS_PER_INVOCATION } from './codegen';
import { simulateWithGpuStatistics } from './gpu-statistics';
import type { GpuStatisticsTiming } from './stat-plan';
import { MOMENT_WORDS, emptyMoments, mergeMoments, momentsFromPartials, type OutputMoments } from './moments';
import { GpuRun, nextTask } from './gpu-run';

export interface WebGpuBackendOptions {
  /**
   * Iterations per dispatch, fixed; lowered where the device's buffers are smaller. Default: sized
   * by time (about 40 ms a chunk, chunking.ts) up to 2^20 where every value is read back, and
   * statisticsChunkIterations where statistics stay on the GPU.
   */
  chunkIterations?: number;
  /**
   * Whether runForSummary computes statistics on the GPU. Default: yes, except on a fallback
   * (software) adapter, whose "GPU memory" is the CPU's: there three passes and atomics cost more
   * than reading every value back (SwiftShader: 0.1 against 0.4 million iterations/s).
   */
  statisticsOnGpu?: boolean;
  /** Fine bins of GPU statistics (a multiple of 50); default: by the run's length (stat-plan.ts). */
  fineBins?: number;
}

export interface WebGpuRunOptions extends BackendRunOptions {
  /** After every chunk: the GPU-reduced moments of every output over the iterations done so far. */
  onMoments?: (moments: Record<string, OutputMoments>, done: number) => void;
}

export interface WebGpuValues extends BackendValues {
  /** Moments of every output over the whole run, reduced on the GPU. */
  moments: Record<string, OutputMoments>;
}

/** A run for a summary: exact statistics from the GPU, with only the kept iterations read back. */
export interface WebGpuSummaryValues extends BackendValues {
  /** Every output's statistics, or null when the GPU could not give them and `outputs` holds every value instead. */
  statistics: Record<string, OutputStatistics> | null;
  /** Where the time of GPU statistics went (absent when every value was read back). */
  timing?: GpuStatisticsTiming;
}

export interface WebGpuBackend extends SimulationBackend {
  run(compiled: CompiledModel, options: WebGpuRunOptions): Promise<WebGpuValues>;
  /**
   * Runs for a summary: statistics computed on the GPU (gpu-statistics.ts), `outputs` and `inputs`
   * holding the first keepInputs iterations; where the GPU cannot give exact statistics, every
   * value is read back as run() does and `statistics` is null.
   */
  runForSummary(compiled: CompiledModel, options: BackendRunOptions): Promise<WebGpuSummaryValues>;
}

export { DEFAULT_CHUNK_ITERATIONS, statisticsChunkIterations } from './chunking';
const MAX_LHS_ITERATIONS = 0xffffffff;

/** Throws a RangeError an analyst can act on for iterations, seed or keepInputs out of range. */
export function checkRunOptions(
  options: Pick<BackendRunOptions, 'iterations' | 'seed' | 'sampling' | 'keepInputs'>,
): void {
  const { iterations, seed, keepInputs } = options;
  const lhs = options.sampling === 'lhs';
  const most = lhs ? MAX_LHS_ITERATIONS : Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(iterations) || iterations < 1 || iterations > most) {
    throw new RangeError(
      `A run needs a whole number of iterations from 1 to ${most.toLocaleString('en-US')}${lhs ? ' with Latin Hypercube sampling' : ''}, not ${iterations}.`,
    );
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new RangeError(`The seed must be a whole number from 0 to 4,294,967,295, not ${seed}.`);
  if (!Number.isInteger(keepInputs) || keepInputs < 0)
    throw new RangeError(`keepInputs must be a whole number of iterations, not ${keepInputs}.`);
}

/**
 * Rejects with RunCancelledError as soon as `signal` aborts, without waiting for the chunk the GPU
 * is running: the run itself stops at its next chunk boundary and frees its buffers then.
 */
function untilCancelled<T>(signal: AbortSignal | undefined, run: Promise<T>): Promise<T> {
  if (!signal) return run;
  run.catch(() => undefined); // once cancelled, how the run ends is no one's concern
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new RunCancelledError());
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    run.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export function createWebGpuBackend(
  device: GPUDevice,
  description: string,
  backendOptions: WebGpuBackendOptions = {},
): WebGpuBackend {
  let disposed = false;
  const guard = guardDevice(device);
  // adapterInfo is optional in practice: browsers before 2024 and some wrappers lack it.
  const software = (device.adapterInfo as GPUAdapterInfo | undefined)?.isFallbackAdapter === true;
  const statisticsOnGpu = backendOptions.statisticsOnGpu ?? !software;
  // A software adapter's chunks stay at tens of thousands of iterations (about 40 ms each): buffers
  // for 2^20 would only cost their allocation (zeroed on the CPU) at the start of every run.
  const readBackChunk = software ? SOFTWARE_CHUNK_ITERATIONS : DEFAULT_CHUNK_ITERATIONS;

  const stopper = (signal: AbortSignal | undefined, work: string) => () => {
    if (disposed || signal?.aborted) throw new RunCancelledError();
    guard.assertUsable(work);
  };

  async function simulate(compiled: CompiledModel, options: WebGpuRunOptions, work: string): Promise<WebGpuValues> {
    const { iterations, signal } = options;
    const stop = stopper(signal, work);
    // Chunks of a fixed size when the backend was given one; otherwise sized by time, up to the default.
    const fixedChunks = backendOptions.chunkIterations !== undefined;
    const chunkIterations = backendOptions.chunkIterations ?? readBackChunk;
    // A cancelled run stops between slices of its Latin Hypercube permutations too.
    const pause = async () => {
      stop();
      await nextTask();
    };
    const gpuRun = await GpuRun.open(device, compiled, { ...options, chunkIterations, pause }, work);
    const pending: Promise<void>[] = [];
    try {
      stop();
      const { layout, chunk, keep, keepStride, keepOffset, partialsOffset } = gpuRun;
      const readbacks = [gpuRun.readbackBuffer('read-back 0'), gpuRun.readbackBuffer('read-back 1')];
      const nOut = compiled.outputs.length;
      const outputs = Object.fromEntries(compiled.outputs.map((name) => [name, new Float64Array(iterations)]));
      const inputs =
        keep > 0 ? Object.fromEntries(layout.inputs.map((input) => [input.name, new Float64Array(keep)])) : {};
      let moments = Object.fromEntries(compiled.outputs.map((name) => [name, emptyMoments()]));

      const collect = async (
        start: number,
        length: number,
        readback: GPUBuffer,
        groups: number,
        keepLength: number,
      ) => {
        await readback.mapAsync(GPUMapMode.READ);
        const mapped = readback.getMappedRange();
        compiled.outputs.forEach((name, o) =>
          outputs[name]!.set(new Float32Array(mapped, 4 * o * chunk, length), start),
        );
        if (keepLength > 0)
          layout.inputs.forEach((input, k) =>
            inputs[input.name]!.set(new Float32Array(mapped, keepOffset + 4 * k * keepStride, keepLength), start),
          );
        const partial = new Float32Array(mapped, partialsOffset, MOMENT_WORDS * nOut * groups);
        moments = Object.fromEntries(
          compiled.outputs.map((name, o) => [
            name,
            mergeMoments(moments[name]!, momentsFromPartials(partial, o, groups)),
          ]),
        );
        readback.unmap();
        stop();
        options.onMoments?.(moments, start + length);
        options.onProgress?.(start + length, iterations);
      };

      // Chunks sized by time (chunking.ts): each takes about 40 ms wherever it runs, so the page
      // sees progress at 10 Hz or more, a Cancel within a chunk, and no long task from one chunk's work.
      let previous: Promise<void> | null = null;
      let size = fixedChunks ? chunk : Math.min(chunk, FIRST_CHUNK_ITERATIONS);
      let previousLength = 0;
      let lastCollected = -1;
      for (let start = 0, index = 0; start < iterations; index++) {
        stop();
        const length = Math.min(size, iterations - start);
        const readback = readbacks[index % 2]!;
        const { groups, keepLength } = gpuRun.submit(start, length, readback);
        await gpuRun.checkErrors(work);
        // Read the previous chunk back while this one runs.
        if (previous) {
          await previous;
          // With one chunk always queued, the time between two collections is one chunk's.
          const collected = performance.now();
          if (lastCollected >= 0 && !fixedChunks)
            size = nextChunkIterations(previousLength, collected - lastCollected, chunk, ITERATIONS_PER_INVOCATION);
          lastCollected = collected;
        }
        previousLength = length;
        previous = collect(start, length, readback, groups, keepLength);
        // Keep a failure here from being reported as unhandled before it is awaited.
        previous.catch(() => undefined);
        pending.push(previous);
        start += length;
      }
      await previous;
      return { outputs, inputs, moments };
    } finally {
      // A map still pending when its buffer is destroyed rejects; those rejections are handled.
      gpuRun.destroy();
      await Promise.allSettled(pending);
    }
  }

  const begin = (compiled: CompiledModel, options: BackendRunOptions): string => {
    if (disposed) throw new Error('This WebGPU backend was disposed; open a new one.');
    checkRunOptions(options);
    if (options.signal?.aborted) throw new RunCancelledError();
    return `a simulation of ${options.iterations.toLocaleString('en-US')} iterations of "${compiled.model.name}"`;
  };

  return {
    kind: 'webgpu',
    description,
    async run(compiled, options) {
      const work = begin(compiled, options);
      return untilCancelled(
        options.signal,
        guard.run(work, () => simulate(compiled, options, work)),
      );
    },
    async runForSummary(compiled, options) {
      const work = begin(compiled, options);
      return untilCancelled(
        options.signal,
        guard.run(work, async () => {
          const chunkIterations = backendOptions.chunkIterations ?? statisticsChunkIterations(options.iterations);
          const onGpu = statisticsOnGpu
            ? await simulateWithGpuStatistics(
                device,
                compiled,
                {
                  ...options,
                  chunkIterations,
                  ...(backendOptions.fineBins ? { fineBins: backendOptions.fineBins } : {}),
                  stop: stopper(options.signal, work),
                },
                work,
              )
            : null;
          if (onGpu) return onGpu;
          const values = await simulate(compiled, options, work);
          return { outputs: values.outputs, inputs: values.inputs, statistics: null };
        }),
      );
    },
    dispose() {
      disposed = true;
    },
  };
}
