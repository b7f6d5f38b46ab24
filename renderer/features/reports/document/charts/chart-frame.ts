/** The drawing area every report chart shares (SVG user units; the SVG scales to the page's width). */
export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 360;

export interface PlotArea {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Room for the y ticks and label on the left, the x ticks and label below, the legend above. */
export function plotArea(options: { leftLabelWidth?: number; legendRows?: number } = {}): PlotArea {
  const left = 56 + (options.leftLabelWidth ?? 0);
  const top = 12 + 18 * (options.legendRows ?? 0);
  return { left, top, right: CHART_WIDTH - 16, bottom: CHART_HEIGHT - 48 };
}
