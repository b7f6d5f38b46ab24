import type { ReportCell, ReportChart } from '../report-document';
import { numberCell } from '../report-numbers';
import type { SectionContext } from './section-context';
import { SpiderBins } from './spider-bins';

/** Inputs a spider plot draws at most (those whose bins move the output most): more lines cannot be told apart. */
export const SPIDER_INPUTS = 8;

/** Without samples: the saved rank correlations as a tornado around 0. */
function savedTornado(ctx: SectionContext, output: string): ReportChart {
  const saved = ctx.baseline.summary.sensitivity[output];
  return {
    kind: 'tornado',
    xLabel: `Rank correlation with ${output}`,
    baseline: 0,
    bars: [...(saved?.inputs ?? [])]
      .filter((i) => Number.isFinite(i.rankCorrelation))
      .sort((a, b) => Math.abs(b.rankCorrelation) - Math.abs(a.rankCorrelation))
      .map((i) => ({ label: i.input, low: Math.min(0, i.rankCorrelation), high: Math.max(0, i.rankCorrelation) })),
  };
}

/**
 * Per shown output, for the baseline run: a tornado, the sensitivity table (saved: SRC, rank
 * correlation, contribution to variance) and a spider plot. With kept samples the tornado is the
 * change in the output's mean across each input's tenths, from the same bins as the spider
 * (binnedStatistics, tornado.ts); without, the saved rank correlations, and a paragraph says the
 * spider needs the samples.
 */
export function sensitivitySection(ctx: SectionContext): void {
  const run = ctx.baseline;
  const samples = run.samples;
  const spider = samples ? new SpiderBins(samples.inputs) : null;
  if (!samples) ctx.paragraph('no-samples', `The spider plots need the run's kept samples; ${run.label} kept none.`);
  for (const output of ctx.outputs) {
    const values = samples?.outputs[output];
    const binned = values && spider ? spider.of(values) : null;
    if (binned)
      ctx.figure(
        `tornado-${output}`,
        `Tornado of ${output}: its mean in the lowest and highest tenth of each input (${run.label})`,
        {
          kind: 'tornado',
          xLabel: `Mean of ${output}`,
          baseline: binned.overall,
          bars: binned.inputs.map((row) => ({ label: row.input, low: row.low, high: row.high })),
        },
      );
    else
      ctx.figure(
        `tornado-${output}`,
        `Tornado of ${output}: rank correlation of each input (${run.label})`,
        savedTornado(ctx, output),
      );
    const saved = run.summary.sensitivity[output];
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
    if (binned)
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
