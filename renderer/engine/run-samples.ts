/**
 * The samples a run keeps for the analyses (RunSamples), within a cap that holds memory bounded,
 * and the convergence trace ended with the whole run's own figures.
 */
import type { RunSamples } from '../../common/engine/analysis/run-samples';
import { concatPieces } from '../../common/engine/cpu/concat';
import type { ConvergenceTrace } from '../../common/engine/cpu/convergence-trace';
import type { SummaryPieces } from '../../common/engine/cpu/messages';
import type { SimulationSummary } from '../../common/engine/summary';
import { MAX_KEPT_ITERATIONS, MAX_KEPT_VALUES } from '../../common/ipc/contract';

/** Iterations a run keeps of each of its `columns` inputs and outputs: at most 1,000,000, and 16 Mi values in all. */
export function keptIterationsFor(iterations: number, columns: number): number {
  return Math.max(0, Math.min(iterations, MAX_KEPT_ITERATIONS, Math.floor(MAX_KEPT_VALUES / Math.max(columns, 1))));
}

/** Lets the page paint and take input between columns: each step copies at most one column. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Takes the first `kept` iterations of every input and output out of a run's pieces as the run's
 * samples, and gives the summary (whose pieces are transferred to the statistics worker, and lost
 * to the page) copies of what it reads: `sensitivity` iterations of the inputs (so keeping samples
 * changes no figure), the kept outputs for the convergence trace, or every value where no
 * statistics came with them. One column per task, so a run of 10^7 iterations leaves no long task.
 */
export async function splitSamples(
  pieces: SummaryPieces,
  kept: number,
  sensitivity: number,
): Promise<{ samples: RunSamples | null; pieces: SummaryPieces }> {
  const inputs: Record<string, Float64Array> = {};
  const outputs: Record<string, Float64Array> = {};
  const trimmed: SummaryPieces = { ...pieces, inputs: {}, outputs: {} };
  let have = kept;
  for (const [name, parts] of Object.entries(pieces.inputs)) {
    const joined = concatPieces(parts);
    inputs[name] = joined.subarray(0, kept);
    have = Math.min(have, inputs[name].length);
    trimmed.inputs[name] = [joined.slice(0, sensitivity)];
    await nextTask();
  }
  for (const [name, parts] of Object.entries(pieces.outputs)) {
    const joined = concatPieces(parts);
    if (pieces.statistics?.[name]) {
      outputs[name] = joined.subarray(0, kept);
      trimmed.outputs[name] = [joined.slice(0, kept)];
    } else {
      outputs[name] = joined.slice(0, kept);
      trimmed.outputs[name] = [joined];
    }
    have = Math.min(have, outputs[name].length);
    await nextTask();
  }
  if (have <= 0) return { samples: null, pieces: trimmed };
  const cut = (record: Record<string, Float64Array>) =>
    Object.fromEntries(Object.entries(record).map(([name, v]) => [name, v.length === have ? v : v.subarray(0, have)]));
  return { samples: { iterations: have, inputs: cut(inputs), outputs: cut(outputs) }, pieces: trimmed };
}

/** Each output's trace, with the whole run's mean and percentiles as its last point when the run went further. */
export function endTraces(
  traces: Record<string, ConvergenceTrace>,
  summary: SimulationSummary,
  iterations: number,
): Record<string, ConvergenceTrace> {
  return Object.fromEntries(
    Object.entries(traces).map(([name, trace]) => {
      const stats = summary.outputs[name];
      if (!stats || (trace.n[trace.n.length - 1] ?? 0) >= iterations) return [name, trace];
      return [
        name,
        {
          n: [...trace.n, iterations],
          mean: [...trace.mean, stats.mean],
          p5: [...trace.p5, stats.percentiles.p5],
          p50: [...trace.p50, stats.percentiles.p50],
          p95: [...trace.p95, stats.percentiles.p95],
        },
      ];
    }),
  );
}
