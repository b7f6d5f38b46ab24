import type { ReportChart } from '../../../../../common/report/report-document';
import { plotArea, yTickRoom, type PlotArea } from './chart-frame';
import { labelWidth, layoutLegend, type LegendItem } from './legend-layout';
import { extent, linearAxis, logAxis, px, scaleOf, type Axis } from './scale';

type LinesChart = Extract<ReportChart, { kind: 'lines' }>;

export interface PositionedTick {
  label: string;
  at: number;
}

export interface LinesGeometry {
  area: PlotArea;
  xTicks: PositionedTick[];
  yTicks: PositionedTick[];
  /** One SVG path per series; a gap (NaN, or ≤ 0 on a log axis) starts a new subpath. */
  paths: { label: string; d: string }[];
  legend: LegendItem[];
}

function usable(point: [number, number], logX: boolean): boolean {
  const [x, y] = point;
  return Number.isFinite(x) && Number.isFinite(y) && (!logX || x > 0);
}

export function linesGeometry(chart: LinesChart): LinesGeometry {
  const logX = chart.xScale === 'log';
  const points = chart.series.flatMap((s) => s.points.filter((p) => usable(p, logX)));
  const [x0, x1] = extent(points.map((p) => p[0]));
  const [y0, y1] = extent(points.map((p) => p[1]));
  const xAxis: Axis = logX && points.length > 0 ? logAxis(x0, x1) : linearAxis(x0, x1, 6);
  const yAxis = linearAxis(y0, y1, 5);
  const legend = layoutLegend(
    chart.series.map((s) => s.label),
    56,
  );
  const area = plotArea({
    legendRows: chart.series.length > 1 ? legend.rows : 0,
    leftLabelWidth: yTickRoom(Math.max(...yAxis.ticks.map((t) => labelWidth(t.label)))),
  });
  const sx = scaleOf(xAxis, area.left, area.right);
  const sy = scaleOf(yAxis, area.bottom, area.top);
  const paths = chart.series.map((series) => {
    let d = '';
    let pen = false;
    for (const point of series.points) {
      if (!usable(point, logX)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : d ? ' M' : 'M'}${px(sx(point[0]))} ${px(sy(point[1]))}`;
      pen = true;
    }
    return { label: series.label, d };
  });
  return {
    area,
    xTicks: xAxis.ticks.map((t) => ({ label: t.label, at: sx(t.value) })),
    yTicks: yAxis.ticks.map((t) => ({ label: t.label, at: sy(t.value) })),
    paths,
    legend: chart.series.length > 1 ? legend.items : [],
  };
}
