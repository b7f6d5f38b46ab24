/** Distinct series colors on the dark panels (colour-blind-safe order, Okabe–Ito). */
export const SERIES_COLORS = ['#56b4e9', '#e69f00', '#009e73', '#f0e442', '#cc79a7', '#d55e00', '#0072b2', '#bbbbbb'];

export const seriesColor = (i: number) => SERIES_COLORS[i % SERIES_COLORS.length]!;
