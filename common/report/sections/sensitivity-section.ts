import { binnedStatistics, tornado } from '../../engine/analysis/tornado';
import type { ReportCell } from '../report-document';
import { numberCell } from '../report-numbers';
import type { SectionContext } from './section-context';

/** Inputs a spider plot draws at most (those whose bins move the output most): more lines cannot be told apart. */
export const SPIDER_INPUTS = 8;

/**
 * Per shown output, for the baseline run: a tornado of rank correlations (from the kept samples with
 * `tornado`, else the saved sensitivity), the sensitivity table (saved), and with samples a spider
 * plot of the output mean in each tenth of each input (binnedStatistics).
 */
export function sensitivitySection(ctx: SectionContext): void {
  const run = ctx.baseline;
  const samples = run.samples;
  if (!samples) ctx.paragraph('no-samples', `The spider plots need the run's kept samples; ${run.label} kept none.`);
  for (const output of ctx.outputs) {
    const saved = run.summary.sensitivity[output];
    const values = samples?.outputs[output];
    const bars = values
      ? tornado(samples.inputs, values, 'rank-correlation').bars
      : [...(saved?.inputs ?? [])]
          .map((i) => ({ input: i.input, value: i.rankCorrelation }))
          .sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
    ctx.figure(`tornado-${output}`, `Tornado of ${output}: rank correlation of each input (${run.label})`, {
      kind: 'tornado',
      xLabel: 'Rank correlation with ' + output,
      baseline: 0,
      bars: bars
        .filter((b) => Number.isFinite(b.value))
        .map((b) => ({ label: b.input, low: Math.min(0, b.value), high: Math.max(0, b.value) })),
    });
    const rows: ReportCell[][] = [...(saved?.inputs ?? [])]
      .sort((a, b) => Math.abs(b.src) - Math.abs(a.src) || (a.input < b.input ? -1 : 1))
      .map((i) => [
        output,
        i.input,
        numberCell(i.src),
        numberCell(i.rankCorrelation),
        numberCell(i.contributionToVariance),
      ]);
    ctx.table(
      `table-${output}`,
      `Sensitivity of ${output} to each input (${run.label}; R² ${saved ? saved.rSquared.toFixed(3) : '—'})`,
      'Sensitivity',
      [
        { label: 'Output', kind: 'text' },
        { label: 'Input', kind: 'text' },
        { label: 'SRC', kind: 'number', decimals: 3 },
        { label: 'Rank correlation', kind: 'number', decimals: 3 },
        { label: 'Contribution to variance', kind: 'percent', decimals: 1 },
      ],
      rows,
    );
    if (values) {
      const binned = binnedStatistics(samples.inputs, values, { kind: 'mean' });
      ctx.figure(`spider-${output}`, `Spider plot of ${output}: its mean in each tenth of each input (${run.label})`, {
        kind: 'lines',
        xLabel: 'Input percentile',
        yLabel: `Mean of ${output}`,
        series: binned.inputs.slice(0, SPIDER_INPUTS).map((row) => ({
          label: row.input,
          points: row.statistic
            .map((y, k): [number, number] => [binned.binCenters[k]!, y])
            .filter(([, y]) => Number.isFinite(y)),
        })),
      });
    }
  }
}
