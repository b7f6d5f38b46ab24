import type { ReportChart } from '../report-document';
import { commonHistogram } from './histogram-rebin';
import type { SectionContext } from './section-context';

/** The S-curve of an output, one line per run, from each run's saved CDF (101 points). */
export function sCurve(ctx: SectionContext, output: string): ReportChart {
  return {
    kind: 'lines',
    xLabel: output,
    yLabel: 'Cumulative probability',
    series: ctx.data.runs
      .filter((run) => run.summary.outputs[output])
      .map((run) => ({
        label: run.label,
        points: run.summary.outputs[output]!.cdf.filter((c) => Number.isFinite(c.x)).map((c): [number, number] => [
          c.x,
          c.p,
        ]),
      })),
  };
}

/** Per shown output: a histogram (every run on common bins: histogram-rebin.ts) and an S-curve. */
export function chartsSection(ctx: SectionContext): void {
  for (const output of ctx.outputs) {
    const runs = ctx.data.runs.filter((run) => run.summary.outputs[output]);
    const common = commonHistogram(runs.map((run) => run.summary.outputs[output]!.histogram));
    if (common)
      ctx.figure(`histogram-${output}`, `Histogram of ${output}, share of iterations by run`, {
        kind: 'histogram',
        xLabel: output,
        yLabel: 'Share of iterations',
        edges: common.edges,
        series: runs.map((run, i) => ({ label: run.label, values: common.shares[i]! })),
      });
    else ctx.paragraph(`histogram-${output}`, `${output} has no finite values to draw.`);
    ctx.figure(`scurve-${output}`, `S-curve (cumulative distribution) of ${output}, by run`, sCurve(ctx, output));
  }
}
