import type { ConvergenceTrace } from '../../engine/cpu/convergence-trace';
import type { SectionContext } from './section-context';

function line(label: string, n: readonly number[], y: readonly number[]) {
  return {
    label,
    points: n.map((x, i): [number, number] => [x, y[i]!]).filter(([x, v]) => x > 0 && Number.isFinite(v)),
  };
}

/**
 * Per shown output, from the saved traces: the baseline's mean, P5, P50 and P95 as iterations grow
 * (log scale), and every other run's mean beside it (all four of eight runs would be 32 lines).
 */
export function convergenceSection(ctx: SectionContext): void {
  for (const output of ctx.outputs) {
    const base: ConvergenceTrace | undefined = ctx.baseline.trace[output];
    const series = base
      ? [
          line(`${ctx.baseline.label}: mean`, base.n, base.mean),
          line(`${ctx.baseline.label}: P5`, base.n, base.p5),
          line(`${ctx.baseline.label}: P50`, base.n, base.p50),
          line(`${ctx.baseline.label}: P95`, base.n, base.p95),
        ]
      : [];
    for (const run of ctx.data.runs.slice(1)) {
      const trace = run.trace[output];
      if (trace) series.push(line(`${run.label}: mean`, trace.n, trace.mean));
    }
    if (series.length === 0) {
      ctx.paragraph(`none-${output}`, `No convergence trace was kept for ${output}.`);
      continue;
    }
    ctx.figure(`trace-${output}`, `Convergence of ${output}: mean and percentiles as iterations grow`, {
      kind: 'lines',
      xLabel: 'Iterations',
      yLabel: output,
      xScale: 'log',
      series,
    });
  }
}
