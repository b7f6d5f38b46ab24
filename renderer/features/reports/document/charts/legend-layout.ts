import { CHART_WIDTH } from './chart-frame';

export interface LegendItem {
  label: string;
  x: number;
  y: number;
}

/** Rough width of a label at 11 units: Noto Sans averages about 0.55 em per character. */
export function labelWidth(label: string): number {
  return label.length * 6.1;
}

/** Legend entries left to right above the plot, wrapping to a new row when the width runs out. */
export function layoutLegend(labels: string[], left: number, swatch = 22): { items: LegendItem[]; rows: number } {
  const items: LegendItem[] = [];
  let x = left;
  let row = 0;
  for (const label of labels) {
    const width = swatch + 6 + labelWidth(label) + 18;
    if (x > left && x + width > CHART_WIDTH - 8) {
      row += 1;
      x = left;
    }
    items.push({ label, x, y: 14 + row * 18 });
    x += width;
  }
  return { items, rows: labels.length === 0 ? 0 : row + 1 };
}

/** A label cut to fit `width` units, ending in "…" when cut. */
export function fitLabel(label: string, width: number): string {
  const max = Math.floor(width / 6.1);
  return label.length <= max ? label : `${label.slice(0, Math.max(1, max - 1)).trimEnd()}…`;
}
