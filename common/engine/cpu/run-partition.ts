import type { CompiledModel } from '../compile-model';
import { simulateCpu } from '../simulate-cpu';
import type { PartitionJob } from './messages';
import { planChunks } from './partition';

export type { PartitionJob };

export interface PartitionValues {
  /** This partition's values of every output, in iteration order. */
  outputs: Record<string, Float64Array>;
  /** This partition's share of the kept input samples (empty when it starts past keepInputs). */
  inputs: Record<string, Float64Array>;
}

/**
 * Runs one partition chunk by chunk with simulateCpu, so a progress message can go out between
 * chunks. Each chunk is written straight into `into` (this partition's place in shared memory,
 * say) where given, else into new arrays. Plain TypeScript over common/: both kinds of worker
 * run it, and so do the unit tests in Node.
 */
export function runPartition(
  compiled: CompiledModel,
  job: PartitionJob,
  onChunk?: (done: number) => void,
  into?: Record<string, Float64Array>,
): PartitionValues {
  const outputs = Object.fromEntries(
    compiled.outputs.map((name) => [name, into?.[name]?.subarray(0, job.count) ?? new Float64Array(job.count)]),
  );
  const keep = Math.max(0, Math.min(job.count, job.keepInputs - job.first));
  const inputs: Record<string, Float64Array> =
    keep > 0 ? Object.fromEntries(compiled.inputs.map((input) => [input.name, new Float64Array(keep)])) : {};
  const offset0 = job.offset ?? 0;
  for (const chunk of planChunks(job, job.sampling)) {
    const offset = chunk.first - job.first;
    const values = simulateCpu(compiled, {
      iterations: chunk.count,
      seed: job.seed,
      sampling: job.sampling,
      firstIteration: offset0 + chunk.first,
      totalIterations: job.total,
      keepInputs: Math.max(0, Math.min(chunk.count, keep - offset)),
      into: Object.fromEntries(compiled.outputs.map((name) => [name, outputs[name]!.subarray(offset)])),
    });
    if (values.inputs) for (const [name, samples] of Object.entries(values.inputs)) inputs[name]!.set(samples, offset);
    onChunk?.(offset + chunk.count);
  }
  return { outputs, inputs };
}
