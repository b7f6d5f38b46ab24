import { combineMoments } from '../moments';
import type { OutputStatistics } from '../statistics';
import { summarizeSimulation, type SimulationSummary } from '../summary';
import { concatPieces } from './concat';
import type { SummaryPieces } from './messages';

/**
 * The summary of a run from its pieces: each output's pieces joined, their moments combined (or
 * computed here for a GPU result whose values were read back), statistics already computed (by
 * the GPU or the CPU engine's workers) taken as they are, then summarizeSimulation one output at
 * a time (exact percentiles without a full sort), dropping each output's pieces as it goes so a
 * run of many millions needs memory for one output's copy at a time, not all of them.
 */
export function summarizePieces(pieces: SummaryPieces): SimulationSummary {
  const inputs = Object.fromEntries(Object.entries(pieces.inputs).map(([name, parts]) => [name, concatPieces(parts)]));
  const summary: SimulationSummary = { outputs: {}, sensitivity: {} };
  for (const name of Object.keys(pieces.outputs)) {
    const values = concatPieces(pieces.outputs[name]!);
    delete pieces.outputs[name]; // each piece is garbage as soon as it is copied
    const computed = pieces.statistics?.[name];
    if (computed) {
      const one = summarizeSimulation({ outputs: { [name]: values }, inputs, statistics: { [name]: computed } });
      summary.outputs[name] = computed;
      summary.sensitivity[name] = one.sensitivity[name]!;
      continue;
    }
    const parts = pieces.moments?.[name];
    if (parts && parts.reduce((s, m) => s + m.n + m.nonFinite, 0) !== values.length)
      throw new Error(
        `${name}: the pieces' moments count ${parts.reduce((s, m) => s + m.n + m.nonFinite, 0)} values, the run ${values.length}`,
      );
    const moments = parts?.length ? { [name]: parts.reduce(combineMoments) } : undefined;
    const one = summarizeSimulation({ outputs: { [name]: values }, inputs, ...(moments ? { moments } : {}) });
    summary.outputs[name] = one.outputs[name]!;
    summary.sensitivity[name] = one.sensitivity[name]!;
  }
  return summary;
}

/** What a CPU engine run gives: every output's statistics, and at least its first `kept` iterations of every output and input. */
export interface RunValues {
  outputs: Record<string, Float64Array>;
  inputs?: Record<string, Float64Array>;
  statistics: Record<string, OutputStatistics>;
}

/** The pieces of a CPU engine run's summary: its statistics, and the first `kept` iterations for the sensitivity. */
export function piecesOfRun(run: RunValues, kept: number): SummaryPieces {
  return {
    outputs: Object.fromEntries(Object.entries(run.outputs).map(([name, v]) => [name, [v.subarray(0, kept)]])),
    inputs: Object.fromEntries(Object.entries(run.inputs ?? {}).map(([name, v]) => [name, [v.subarray(0, kept)]])),
    statistics: run.statistics,
  };
}

/** The summary of a CPU engine run, as the app's statistics worker builds it from piecesOfRun and as the CLI does. */
export function summarizeRun(run: RunValues, kept: number): SimulationSummary {
  return summarizePieces(piecesOfRun(run, kept));
}
