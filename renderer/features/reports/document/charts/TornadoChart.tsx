import type { ReportChart } from '../../../../../common/report/report-document';
import { CHART_WIDTH } from './chart-frame';
import { ChartAxes } from './ChartAxes';
import { ChartLegend } from './ChartLegend';
import { px } from './scale';
import { TORNADO_HIGH_COLOR, TORNADO_LOW_COLOR } from './series-style';
import { tornadoGeometry } from './tornado-geometry';

const LEGEND = [
  { label: 'Input at its low value', x: 206, y: 14 },
  { label: 'Input at its high value', x: 400, y: 14 },
];
const LEGEND_STYLES = [
  { color: TORNADO_LOW_COLOR, dash: '' },
  { color: TORNADO_HIGH_COLOR, dash: '' },
];

export function TornadoChart({ chart, title }: { chart: Extract<ReportChart, { kind: 'tornado' }>; title: string }) {
  const g = tornadoGeometry(chart);
  return (
    <svg className="report-chart" viewBox={`0 0 ${CHART_WIDTH} ${px(g.height)}`} role="img" aria-label={title}>
      <ChartAxes area={g.area} xTicks={g.xTicks} xLabel={chart.xLabel} height={g.height} />
      {g.rows.map((row, i) => (
        <g key={i}>
          <text className="chart-tick" x={g.area.left - 6} y={px(row.y)} textAnchor="end" dominantBaseline="middle">
            {row.label}
          </text>
          {row.low && (
            <rect
              className="chart-bar"
              x={px(row.low.x)}
              y={px(row.y - row.height / 2)}
              width={px(row.low.width)}
              height={px(row.height)}
              fill={TORNADO_LOW_COLOR}
            />
          )}
          {row.high && (
            <rect
              className="chart-bar"
              x={px(row.high.x)}
              y={px(row.y - row.height / 2)}
              width={px(row.high.width)}
              height={px(row.height)}
              fill={TORNADO_HIGH_COLOR}
            />
          )}
        </g>
      ))}
      <line className="chart-baseline" x1={px(g.baselineX)} x2={px(g.baselineX)} y1={g.area.top} y2={g.area.bottom} />
      <ChartLegend items={LEGEND} styles={LEGEND_STYLES} swatch="box" />
    </svg>
  );
}
