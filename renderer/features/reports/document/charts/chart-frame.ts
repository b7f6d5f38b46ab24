/** The drawing area every report chart shares (SVG user units; the SVG scales to the page's width). */
export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 360;

export interface PlotArea {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Room for the y label (rotated) and the gap beside the y tick labels. */
const Y_LABEL_ROOM = 30;

/** Extra room left of the plot so that the widest y tick label (`width` units) clears the y label. */
export function yTickRoom(width: number): number {
  return Math.max(0, Math.ceil(width + Y_LABEL_ROOM - 56));
}

/** Room for the y ticks and label on the left, the x ticks and label below, the legend above. */
export function plotArea(options: { leftLabelWidth?: number; legendRows?: number } = {}): PlotArea {
  const left = 56 + (options.leftLabelWidth ?? 0);
  const top = 12 + 18 * (options.legendRows ?? 0);
  // The right edge leaves half of a wide last tick label ("100,000") inside the drawing.
  return { left, top, right: CHART_WIDTH - 28, bottom: CHART_HEIGHT - 48 };
}
