/**
 * Series colours that stay apart when printed in greyscale: each one a different lightness, and lines
 * add a dash pattern, so a black-and-white copy still tells them apart.
 */
export interface SeriesStyle {
  color: string;
  /** SVG stroke-dasharray; '' for solid. */
  dash: string;
}

// Neighbours differ by at least 0.2 in luma (greyscale lightness): 0.22, 0.69, 0.45, 0.81, 0.23, 0.68.
const COLORS = ['#1f3b73', '#f0a830', '#2e8b57', '#a6d8f0', '#5b2a86', '#c9b037'];
const DASHES = ['', '7 4', '2 3', '10 3 2 3', '4 4', '1 2'];

export function seriesStyle(index: number): SeriesStyle {
  return { color: COLORS[index % COLORS.length]!, dash: DASHES[index % DASHES.length]! };
}

/** Tornado bars: the input at its low value, and at its high value. */
export const TORNADO_LOW_COLOR = '#9fc3e7';
export const TORNADO_HIGH_COLOR = '#1f3b73';
