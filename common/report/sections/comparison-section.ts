import type { ReportCell, ReportColumn } from '../report-document';
import { numberCell, numberColumn } from '../report-numbers';
import { sCurve } from './charts-section';
import type { SectionContext } from './section-context';

const LEVELS = ['p5', 'p10', 'p25', 'p50', 'p75', 'p90', 'p95'] as const;

/** Each run against the baseline (saved statistics): a table of each output, and an S-curve overlay per output. */
export function comparisonSection(ctx: SectionContext): void {
  const runs = ctx.data.runs;
  if (runs.length < 2) {
    ctx.paragraph('one-run', 'This report has one run: there is nothing to compare.');
    return;
  }
  const rows: ReportCell[][] = ctx.outputs.flatMap((output) => {
    const base = ctx.baseline.summary.outputs[output];
    return runs.map((run) => {
      const s = run.summary.outputs[output];
      const less = (a: number | undefined, b: number | undefined) =>
        a === undefined || b === undefined ? null : numberCell(a - b);
      return [
        output,
        run.label,
        numberCell(s?.mean),
        numberCell(s?.sd),
        ...LEVELS.map((key) => numberCell(s?.percentiles[key])),
        less(s?.mean, base?.mean),
        less(s?.percentiles.p50, base?.percentiles.p50),
        less(s?.percentiles.p95, base?.percentiles.p95),
      ];
    });
  });
  const labels = [
    'Mean',
    'SD',
    ...LEVELS.map((k) => k.toUpperCase()),
    'Mean − baseline',
    'P50 − baseline',
    'P95 − baseline',
  ];
  const columns: ReportColumn[] = [
    { label: 'Output', kind: 'text' },
    { label: 'Run', kind: 'text' },
    ...labels.map((label, i) => numberColumn(label, rows, i + 2)),
  ];
  ctx.table('table-1', `Each run against the baseline, ${ctx.baseline.label}`, 'Comparison', columns, rows);
  for (const output of ctx.outputs)
    ctx.figure(`scurves-${output}`, `S-curves of ${output}: every run overlaid`, sCurve(ctx, output));
}
