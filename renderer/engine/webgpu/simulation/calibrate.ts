/**
 * How fast the kernels run on this device, without reading anything back: every chunk of a run
 * submitted back to back, timed to the queue's completion. What an automatic choice between GPU
 * and CPU workers needs, and what the benchmark reports as kernel-only time.
 */
import type { CompiledModel } from '../../../../common/engine/compile-model';
import { guardDevice } from '../device-lost';
import { checkRunOptions, DEFAULT_CHUNK_ITERATIONS } from './backend';
import { GpuRun } from './gpu-run';

export interface KernelTiming {
  /** Milliseconds from the first submit to the queue's completion (pipelines and tables already built). */
  kernelMs: number;
  chunks: number;
  iterationsPerSecond: number;
}

export async function timeWebGpuKernel(
  device: GPUDevice,
  compiled: CompiledModel,
  options: { iterations: number; seed: number; sampling: 'mc' | 'lhs'; chunkIterations?: number },
): Promise<KernelTiming> {
  checkRunOptions({ ...options, keepInputs: 0 });
  const work = `timing ${options.iterations.toLocaleString('en-US')} iterations of "${compiled.model.name}"`;
  return guardDevice(device).run(work, async () => {
    const gpuRun = await GpuRun.open(
      device,
      compiled,
      { ...options, keepInputs: 0, chunkIterations: options.chunkIterations ?? DEFAULT_CHUNK_ITERATIONS },
      work,
    );
    try {
      // Finish uploading the model before the clock starts.
      await device.queue.onSubmittedWorkDone();
      const start = performance.now();
      let chunks = 0;
      for (let first = 0; first < options.iterations; first += gpuRun.chunk, chunks++) {
        gpuRun.submit(first, Math.min(gpuRun.chunk, options.iterations - first), null);
        await gpuRun.checkErrors(work);
      }
      await device.queue.onSubmittedWorkDone();
      const kernelMs = performance.now() - start;
      return { kernelMs, chunks, iterationsPerSecond: (options.iterations / kernelMs) * 1000 };
    } finally {
      gpuRun.destroy();
    }
  });
}
