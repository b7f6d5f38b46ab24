import type { CompiledModel } from '../../../common/engine/compile-model';
import { simulateCpu } from '../../../common/engine/simulate-cpu';
import { planChunks, type Partition } from './partition';

/** What one worker is asked to run: its partition of a run, by iteration number. */
export interface PartitionJob extends Partition {
  seed: number;
  sampling: 'mc' | 'lhs';
  /** Iterations in the whole run (Latin Hypercube strata span the whole run). */
  total: number;
  /** The run keeps the first this-many iterations of every input; this partition keeps its share. */
  keepInputs: number;
}

export interface PartitionValues {
  /** This partition's values of every output, in iteration order. */
  outputs: Record<string, Float64Array>;
  /** This partition's share of the kept input samples (empty when it starts past keepInputs). */
  inputs: Record<string, Float64Array>;
}

/**
 * Runs one partition chunk by chunk with simulateCpu, so a progress message can go out between
 * chunks. Plain TypeScript over common/: the worker runs it, and so do the unit tests in Node.
 */
export function runPartition(
  compiled: CompiledModel,
  job: PartitionJob,
  onChunk?: (done: number) => void,
): PartitionValues {
  const outputs = Object.fromEntries(compiled.outputs.map((name) => [name, new Float64Array(job.count)]));
  const keep = Math.max(0, Math.min(job.count, job.keepInputs - job.first));
  const inputs: Record<string, Float64Array> =
    keep > 0 ? Object.fromEntries(compiled.inputs.map((input) => [input.name, new Float64Array(keep)])) : {};
  for (const chunk of planChunks(job, job.sampling)) {
    const offset = chunk.first - job.first;
    const values = simulateCpu(compiled, {
      iterations: chunk.count,
      seed: job.seed,
      sampling: job.sampling,
      firstIteration: chunk.first,
      totalIterations: job.total,
      keepInputs: Math.max(0, Math.min(chunk.count, keep - offset)),
    });
    for (const name of compiled.outputs) outputs[name]!.set(values.outputs[name]!, offset);
    if (values.inputs) for (const [name, samples] of Object.entries(values.inputs)) inputs[name]!.set(samples, offset);
    onChunk?.(offset + chunk.count);
  }
  return { outputs, inputs };
}
