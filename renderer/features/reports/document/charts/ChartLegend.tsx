import type { LegendItem } from './legend-layout';
import type { SeriesStyle } from './series-style';

interface Props {
  items: LegendItem[];
  styles: SeriesStyle[];
  /** Lines show a stroke sample; bars a filled square. */
  swatch: 'line' | 'box';
}

export function ChartLegend({ items, styles, swatch }: Props) {
  return (
    <g className="chart-legend">
      {items.map((item, i) => {
        const style = styles[i]!;
        return (
          <g key={i}>
            {swatch === 'line' ? (
              <line
                x1={item.x}
                x2={item.x + 22}
                y1={item.y - 4}
                y2={item.y - 4}
                stroke={style.color}
                strokeWidth={2}
                strokeDasharray={style.dash || undefined}
              />
            ) : (
              <rect className="chart-bar" x={item.x + 6} y={item.y - 10} width={10} height={10} fill={style.color} />
            )}
            <text className="chart-tick" x={item.x + 28} y={item.y}>
              {item.label}
            </text>
          </g>
        );
      })}
    </g>
  );
}
