/**
 * Series colours that stay apart when printed in greyscale: each one a different lightness, and lines
 * add a dash pattern, so a black-and-white copy still tells them apart.
 */
export interface SeriesStyle {
  color: string;
  /** SVG stroke-dasharray; '' for solid. */
  dash: string;
}

// Ordered dark → light so neighbours differ most in grey (lightness ≈ 20, 55, 35, 70, 45, 80 %).
const COLORS = ['#1f3b73', '#e07b00', '#2e8b57', '#9fc3e7', '#7b2d8b', '#c9b037'];
const DASHES = ['', '7 4', '2 3', '10 3 2 3', '4 4', '1 2'];

export function seriesStyle(index: number): SeriesStyle {
  return { color: COLORS[index % COLORS.length]!, dash: DASHES[index % DASHES.length]! };
}

/** Tornado bars: the input at its low value, and at its high value. */
export const TORNADO_LOW_COLOR = '#9fc3e7';
export const TORNADO_HIGH_COLOR = '#1f3b73';
