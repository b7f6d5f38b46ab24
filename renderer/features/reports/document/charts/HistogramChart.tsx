import type { ReportChart } from '../../../../../common/report/report-document';
import { CHART_HEIGHT, CHART_WIDTH } from './chart-frame';
import { ChartAxes } from './ChartAxes';
import { ChartLegend } from './ChartLegend';
import { histogramGeometry, MAX_GROUPED_SERIES } from './histogram-geometry';
import { px } from './scale';
import { seriesStyle } from './series-style';

export function HistogramChart({
  chart,
  title,
}: {
  chart: Extract<ReportChart, { kind: 'histogram' }>;
  title: string;
}) {
  const g = histogramGeometry(chart);
  const styles = chart.series.map((_, i) => seriesStyle(i));
  const overlaid = chart.series.length > MAX_GROUPED_SERIES;
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
      {g.bars.map((bar, i) => (
        <rect
          key={i}
          className="chart-bar"
          x={px(bar.x)}
          y={px(bar.y)}
          width={px(bar.width)}
          height={px(bar.height)}
          fill={styles[bar.series]!.color}
          fillOpacity={overlaid ? 0.45 : undefined}
        />
      ))}
      <ChartLegend items={g.legend} styles={styles} swatch="box" />
    </svg>
  );
}
