import type { ReportChart } from '../../../../../common/report/report-document';
import { CHART_HEIGHT, plotArea, type PlotArea } from './chart-frame';
import { fitLabel } from './legend-layout';
import type { PositionedTick } from './lines-geometry';
import { extent, linearAxis, scaleOf } from './scale';

type TornadoChart = Extract<ReportChart, { kind: 'tornado' }>;

export interface TornadoRow {
  label: string;
  /** Centre of the row. */
  y: number;
  height: number;
  /** The segment from the baseline to the statistic with the input low, and with it high. */
  low: { x: number; width: number } | null;
  high: { x: number; width: number } | null;
}

export interface TornadoGeometry {
  area: PlotArea;
  /** The chart's full height: rows beyond what fits 360 units make it taller. */
  height: number;
  xTicks: PositionedTick[];
  baselineX: number;
  rows: TornadoRow[];
}

const ROW_PITCH = 22;
/** Room for an input's name left of the bars. */
const LABEL_WIDTH = 150;

function segment(from: number, to: number): { x: number; width: number } | null {
  if (!Number.isFinite(to) || from === to) return null;
  return { x: Math.min(from, to), width: Math.abs(to - from) };
}

/** Horizontal bars, one per input in the order given (biggest swing first), around the baseline. */
export function tornadoGeometry(chart: TornadoChart): TornadoGeometry {
  const base = plotArea({ leftLabelWidth: LABEL_WIDTH, legendRows: 1 });
  const height = Math.max(CHART_HEIGHT, base.top + chart.bars.length * ROW_PITCH + 8 + (CHART_HEIGHT - base.bottom));
  const area = { ...base, bottom: height - (CHART_HEIGHT - base.bottom) };
  const [x0, x1] = extent([chart.baseline, ...chart.bars.flatMap((b) => [b.low, b.high])]);
  const xAxis = linearAxis(x0, x1, 6);
  const sx = scaleOf(xAxis, area.left, area.right);
  const baselineX = sx(Number.isFinite(chart.baseline) ? chart.baseline : xAxis.domain[0]);
  const pitch = chart.bars.length > 0 ? (area.bottom - area.top) / chart.bars.length : ROW_PITCH;
  const rows = chart.bars.map((bar, i) => ({
    // Long input names are cut to the room left of the bars; the table beside the chart gives them whole.
    label: fitLabel(bar.label, LABEL_WIDTH + 40),
    y: area.top + pitch * (i + 0.5),
    height: Math.min(pitch * 0.7, 16),
    low: segment(baselineX, Number.isFinite(bar.low) ? sx(bar.low) : NaN),
    high: segment(baselineX, Number.isFinite(bar.high) ? sx(bar.high) : NaN),
  }));
  return { area, height, xTicks: xAxis.ticks.map((t) => ({ label: t.label, at: sx(t.value) })), baselineX, rows };
}
