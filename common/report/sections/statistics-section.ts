import type { OutputStatistics } from '../../engine/statistics';
import type { ReportCell, ReportColumn } from '../report-document';
import { numberCell, numberColumn } from '../report-numbers';
import type { SectionContext } from './section-context';

export const PERCENTILE_KEYS = ['p1', 'p5', 'p10', 'p25', 'p50', 'p75', 'p90', 'p95', 'p99'] as const;

/** Each shown output with each run's statistics (undefined where a run lacks the output). */
export function statisticsRows(
  ctx: SectionContext,
): { output: string; run: string; s: OutputStatistics | undefined }[] {
  return ctx.outputs.flatMap((output) =>
    ctx.data.runs.map((run) => ({ output, run: run.label, s: run.summary.outputs[output] })),
  );
}

/** Columns: output and run as text, the rest numbers with the decimals their values need. */
function columns(
  labels: readonly string[],
  kinds: readonly ReportColumn['kind'][],
  rows: ReportCell[][],
): ReportColumn[] {
  return labels.map((label, i) =>
    kinds[i] === 'number' ? numberColumn(label, rows, i) : { label, kind: kinds[i] ?? 'text' },
  );
}

/** A statistics table and a percentiles table of every shown output, by run; numbers as numbers. */
export function statisticsSection(ctx: SectionContext): void {
  const rows = statisticsRows(ctx);
  const stats: ReportCell[][] = rows.map(({ output, run, s }) => [
    output,
    run,
    s ? s.count : null,
    numberCell(s?.mean),
    numberCell(s?.sd),
    numberCell(s?.min),
    numberCell(s?.max),
    numberCell(s?.skewness),
    numberCell(s?.kurtosis),
    numberCell(s?.ci95[0]),
    numberCell(s?.ci95[1]),
  ]);
  const labels = [
    'Output',
    'Run',
    'Count',
    'Mean',
    'SD',
    'Min',
    'Max',
    'Skewness',
    'Kurtosis',
    '95% CI low',
    '95% CI high',
  ];
  const kinds = ['text', 'text', 'integer', ...new Array<'number'>(8).fill('number')] as const;
  const statsColumns = columns(labels, kinds, stats);
  // Skewness and kurtosis are shapes, not amounts: three decimals whatever the output's scale.
  statsColumns[7] = { label: 'Skewness', kind: 'number', decimals: 3 };
  statsColumns[8] = { label: 'Kurtosis (excess)', kind: 'number', decimals: 3 };
  ctx.table('table-1', 'Statistics of each output, by run', 'Statistics', statsColumns, stats);

  const percentiles: ReportCell[][] = rows.map(({ output, run, s }) => [
    output,
    run,
    ...PERCENTILE_KEYS.map((key) => numberCell(s?.percentiles[key])),
  ]);
  const pLabels = ['Output', 'Run', ...PERCENTILE_KEYS.map((key) => key.toUpperCase())];
  const pKinds = ['text', 'text', ...PERCENTILE_KEYS.map(() => 'number' as const)] as const;
  ctx.table(
    'table-2',
    'Percentiles of each output, by run',
    'Percentiles',
    columns(pLabels, pKinds, percentiles),
    percentiles,
  );
}
