import type { Moments } from './moments';
import { sensitivity, type OutputSensitivity } from './sensitivity';
import { summarize, type OutputStatistics } from './statistics';

/** Sensitivity uses at most this many iterations: a rank correlation's standard error is then below 0.003. */
export const SENSITIVITY_ITERATIONS = 200_000;

/** The statistics and sensitivity of every output of a run (a summary, not a report: reports are documents). */
export interface SimulationSummary {
  outputs: Record<string, OutputStatistics>;
  sensitivity: Record<string, OutputSensitivity>;
}

/**
 * Statistics and sensitivity of a finished run. `sorted`, when given, holds each output already
 * sorted; `moments`, when given, are each output's moments (the CPU engine computes them on every
 * core); `inputs` holds the first iterations of
 * every input, as kept by the run; sensitivity reads the first SENSITIVITY_ITERATIONS of them.
 */
export function summarizeSimulation(values: {
  outputs: Record<string, Float64Array>;
  inputs: Record<string, Float64Array>;
  sorted?: Record<string, Float64Array>;
  moments?: Record<string, Moments>;
  /** Statistics already computed (by the worker pool), used as they are. */
  statistics?: Record<string, OutputStatistics>;
}): SimulationSummary {
  const outputs: Record<string, OutputStatistics> = {};
  const sensitivities: Record<string, OutputSensitivity> = {};
  // At most SENSITIVITY_ITERATIONS, however many a run kept (a run that keeps its samples keeps up
  // to a million): the same figures on every engine and in the CLI, and no more work than they need.
  const kept = Math.min(
    SENSITIVITY_ITERATIONS,
    ...Object.values(values.outputs).map((v) => v.length),
    ...Object.values(values.inputs).map((x) => x.length),
  );
  // The same input arrays for every output, so each input is ranked once.
  const inputs = Object.fromEntries(
    Object.entries(values.inputs).map(([k, x]) => [k, x.length === kept ? x : x.subarray(0, kept)]),
  );
  for (const [name, v] of Object.entries(values.outputs)) {
    outputs[name] = values.statistics?.[name] ?? summarize(v, values.sorted?.[name], values.moments?.[name]);
    sensitivities[name] = sensitivity(inputs, v.subarray(0, kept));
  }
  return { outputs, sensitivity: sensitivities };
}
