/**
 * A run's results as runs.save keeps them, and back: JSON has no NaN or Infinity, so an undefined
 * statistic (an output with no finite values) travels as null and comes back as NaN.
 */
import type { RunResults } from '../ipc/contract';
import type { SimulationSummary } from './summary';
import type { ConvergenceTrace } from './cpu/convergence-trace';

const toJson = (value: unknown): unknown => {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  return value;
};

const fromJson = (value: unknown): unknown => {
  if (value === null) return Number.NaN;
  if (Array.isArray(value)) return value.map(fromJson);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromJson(v)]));
  return value;
};

export function resultsForSave(summary: SimulationSummary, trace: Record<string, ConvergenceTrace>): RunResults {
  return toJson({ outputs: summary.outputs, sensitivity: summary.sensitivity, trace }) as RunResults;
}

export function resultsFromSaved(results: RunResults): {
  summary: SimulationSummary;
  trace: Record<string, ConvergenceTrace>;
} {
  const back = fromJson(results) as {
    outputs: SimulationSummary['outputs'];
    sensitivity: SimulationSummary['sensitivity'];
    trace: Record<string, ConvergenceTrace>;
  };
  return { summary: { outputs: back.outputs, sensitivity: back.sensitivity }, trace: back.trace };
}
