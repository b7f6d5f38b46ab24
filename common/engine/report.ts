import { sensitivity, type OutputSensitivity } from './sensitivity';
import { summarize, type OutputStatistics } from './statistics';

/** Sensitivity uses at most this many iterations: a rank correlation's standard error is then below 0.003. */
export const SENSITIVITY_ITERATIONS = 200_000;

export interface SimulationReport {
  outputs: Record<string, OutputStatistics>;
  sensitivity: Record<string, OutputSensitivity>;
}

/**
 * Statistics and sensitivity of a finished run. `sorted`, when given, holds each output already
 * sorted (the CLI's worker pool sorts on every core); `inputs` holds the first iterations of
 * every input, as kept by the run.
 */
export function buildReport(values: { outputs: Record<string, Float64Array>; inputs: Record<string, Float64Array>; sorted?: Record<string, Float64Array> }): SimulationReport {
  const outputs: Record<string, OutputStatistics> = {};
  const sensitivities: Record<string, OutputSensitivity> = {};
  for (const [name, v] of Object.entries(values.outputs)) {
    outputs[name] = summarize(v, values.sorted?.[name]);
    const kept = Math.min(v.length, ...Object.values(values.inputs).map((x) => x.length));
    sensitivities[name] = sensitivity(Object.fromEntries(Object.entries(values.inputs).map(([k, x]) => [k, x.subarray(0, kept)])), v.subarray(0, kept));
  }
  return { outputs, sensitivity: sensitivities };
}
