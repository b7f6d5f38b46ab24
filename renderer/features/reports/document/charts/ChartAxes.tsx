import type { PlotArea } from './chart-frame';
import type { PositionedTick } from './lines-geometry';
import { px } from './scale';

interface Props {
  area: PlotArea;
  xTicks: PositionedTick[];
  yTicks?: PositionedTick[];
  xLabel: string;
  yLabel?: string;
  /** The SVG's full height (taller charts put the x label lower). */
  height: number;
}

/** The frame, light grid lines at each tick, tick labels and the axis labels. */
export function ChartAxes({ area, xTicks, yTicks = [], xLabel, yLabel, height }: Props) {
  return (
    <g className="chart-axes">
      {yTicks.map((t) => (
        <g key={`y${t.label}`}>
          <line className="chart-grid" x1={area.left} x2={area.right} y1={px(t.at)} y2={px(t.at)} />
          <text className="chart-tick" x={area.left - 6} y={px(t.at)} textAnchor="end" dominantBaseline="middle">
            {t.label}
          </text>
        </g>
      ))}
      {xTicks.map((t) => (
        <g key={`x${t.label}`}>
          <line className="chart-grid" x1={px(t.at)} x2={px(t.at)} y1={area.top} y2={area.bottom} />
          <text className="chart-tick" x={px(t.at)} y={area.bottom + 16} textAnchor="middle">
            {t.label}
          </text>
        </g>
      ))}
      <rect
        className="chart-frame"
        x={area.left}
        y={area.top}
        width={area.right - area.left}
        height={area.bottom - area.top}
      />
      <text className="chart-label" x={(area.left + area.right) / 2} y={height - 8} textAnchor="middle">
        {xLabel}
      </text>
      {yLabel && (
        <text
          className="chart-label"
          transform={`translate(14 ${px((area.top + area.bottom) / 2)}) rotate(-90)`}
          textAnchor="middle"
        >
          {yLabel}
        </text>
      )}
    </g>
  );
}
