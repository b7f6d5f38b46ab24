import type { ReportChart } from '../../../../../common/report/report-document';
import { CHART_HEIGHT, CHART_WIDTH } from './chart-frame';
import { ChartAxes } from './ChartAxes';
import { ChartLegend } from './ChartLegend';
import { linesGeometry } from './lines-geometry';
import { seriesStyle } from './series-style';

export function LinesChart({ chart, title }: { chart: Extract<ReportChart, { kind: 'lines' }>; title: string }) {
  const g = linesGeometry(chart);
  const styles = chart.series.map((_, i) => seriesStyle(i));
  return (
    <svg className="report-chart" viewBox={`0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`} role="img" aria-label={title}>
      <ChartAxes
        area={g.area}
        xTicks={g.xTicks}
        yTicks={g.yTicks}
        xLabel={chart.xLabel}
        yLabel={chart.yLabel}
        height={CHART_HEIGHT}
      />
      {g.paths.map((path, i) => (
        <path
          key={i}
          className="chart-line"
          d={path.d}
          stroke={styles[i]!.color}
          strokeDasharray={styles[i]!.dash || undefined}
        />
      ))}
      <ChartLegend items={g.legend} styles={styles} swatch="line" />
    </svg>
  );
}
