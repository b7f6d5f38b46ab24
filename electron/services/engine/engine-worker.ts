import { parentPort } from 'node:worker_threads';
import { compileModel } from '../../../common/engine/compile-model';
import { simulateCpu } from '../../../common/engine/simulate-cpu';
import type { PartitionJob } from './cpu-pool';

// One CPU engine worker: compiles the model and fills its partition of the shared result arrays.
const port = parentPort;
if (!port) throw new Error('engine-worker must run in a worker thread');

port.on('message', (job: PartitionJob) => {
  try {
    const result = compileModel(job.model, 8192);
    if (!result.ok) throw new Error(result.errors.join('; '));
    const values = simulateCpu(result.compiled, {
      iterations: job.count,
      seed: job.seed,
      sampling: job.sampling,
      firstIteration: job.offset + job.first,
      totalIterations: job.total,
      keepInputs: Math.max(0, Math.min(job.count, job.keepInputs - job.first)),
    });
    for (const [name, buffer] of Object.entries(job.outputs)) new Float64Array(buffer).set(values.outputs[name]!, job.first);
    for (const [name, buffer] of Object.entries(job.sorted)) new Float64Array(buffer).set(values.outputs[name]!.sort(), job.first);
    for (const [name, buffer] of Object.entries(job.inputs)) if (values.inputs?.[name]) new Float64Array(buffer).set(values.inputs[name]!, job.first);
    port.postMessage({ ok: true });
  } catch (error) {
    port.postMessage({ ok: false, message: (error as Error).message });
  }
});
