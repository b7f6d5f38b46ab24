import type { ReportChart } from '../../../../../common/report/report-document';
import { plotArea, yTickRoom, type PlotArea } from './chart-frame';
import { labelWidth, layoutLegend, type LegendItem } from './legend-layout';
import type { PositionedTick } from './lines-geometry';
import { extent, linearAxis, scaleOf } from './scale';

type HistogramChart = Extract<ReportChart, { kind: 'histogram' }>;

export interface Bar {
  series: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface HistogramGeometry {
  area: PlotArea;
  xTicks: PositionedTick[];
  yTicks: PositionedTick[];
  bars: Bar[];
  legend: LegendItem[];
}

/** Beyond this many series, bars overlay (each full width, drawn translucent) instead of standing side by side. */
export const MAX_GROUPED_SERIES = 3;

/**
 * Bars per bin: side by side within the bin for up to three series (grouped), else overlaid
 * full-width. Heights from 0; a bin's non-finite value draws no bar.
 */
export function histogramGeometry(chart: HistogramChart): HistogramGeometry {
  const edges = chart.edges.filter(Number.isFinite);
  const [x0, x1] = extent(edges);
  const values = chart.series.flatMap((s) => s.values);
  const [, yMax] = extent([0, ...values]);
  const xAxis = linearAxis(x0, x1, 6);
  const yAxis = linearAxis(0, yMax, 5);
  const legend = layoutLegend(
    chart.series.map((s) => s.label),
    56,
  );
  const showLegend = chart.series.length > 1;
  const area = plotArea({
    legendRows: showLegend ? legend.rows : 0,
    leftLabelWidth: yTickRoom(Math.max(...yAxis.ticks.map((t) => labelWidth(t.label)))),
  });
  const sx = scaleOf(xAxis, area.left, area.right);
  const sy = scaleOf(yAxis, area.bottom, area.top);
  const grouped = chart.series.length <= MAX_GROUPED_SERIES;
  const bars: Bar[] = [];
  for (let bin = 0; bin + 1 < chart.edges.length; bin++) {
    const left = chart.edges[bin]!;
    const right = chart.edges[bin + 1]!;
    if (!Number.isFinite(left) || !Number.isFinite(right)) continue;
    const binLeft = sx(left);
    const binWidth = sx(right) - binLeft;
    chart.series.forEach((series, index) => {
      const value = series.values[bin];
      if (value === undefined || !Number.isFinite(value) || value <= 0) return;
      const width = grouped ? binWidth / chart.series.length : binWidth;
      const x = grouped ? binLeft + index * width : binLeft;
      const y = sy(value);
      bars.push({ series: index, x, y, width, height: area.bottom - y });
    });
  }
  return {
    area,
    xTicks: xAxis.ticks.map((t) => ({ label: t.label, at: sx(t.value) })),
    yTicks: yAxis.ticks.map((t) => ({ label: t.label, at: sy(t.value) })),
    bars,
    legend: showLegend ? legend.items : [],
  };
}
