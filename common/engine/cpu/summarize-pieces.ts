import { combineMoments } from '../moments';
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
