import { meanAndSd, percentileOfSorted, sortedFinite } from './sample-math';

/**
 * Run comparison: several runs, or several outputs, side by side. A table of statistics with each
 * one's difference from the first (the baseline), the S-curves on one x grid, and the histograms
 * on common bins, so curves and bars of different series can be overlaid on one chart.
 */
export interface ComparedSeries {
  label: string;
  values: Float64Array;
}

export interface ComparisonOptions {
  /** Percentiles (0–100) in the table; default P5, P10, P25, P50, P75, P90, P95. */
  percentiles?: readonly number[];
  /** Values x for the rows P(value > x). */
  thresholds?: readonly number[];
  /** Common histogram bins (equal width from the smallest to the largest finite value of all series). */
  bins?: number;
  /** Points of the S-curves' common x grid. */
  curvePoints?: number;
}

export interface ComparisonRow {
  statistic: string;
  /** One per series; NaN where undefined. */
  values: number[];
  /** values[i] − values[0]: the difference from the baseline (0 for the baseline itself). */
  differences: number[];
}

export interface Comparison {
  labels: string[];
  /** Finite values of each series (the statistics are of these). */
  counts: number[];
  rows: ComparisonRow[];
  /** Share (0–1) of each series at or below each x: the empirical CDF on one grid, min to max of all series. */
  sCurves: { x: number[]; cumulative: number[][] };
  /** Common bins: edges has bins + 1 entries; each series' share (0–1) of its finite values in each bin. */
  histogram: { edges: number[]; shares: number[][] };
}

export const DEFAULT_PERCENTILES = [5, 10, 25, 50, 75, 90, 95] as const;

/** Number of sorted values ≤ x (binary search). */
function countAtOrBelow(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Share of the finite values strictly greater than x (NaN when there are none). */
export function exceedance(sorted: Float64Array, x: number): number {
  return sorted.length === 0 ? Number.NaN : (sorted.length - countAtOrBelow(sorted, x)) / sorted.length;
}

export function compareSeries(series: readonly ComparedSeries[], options: ComparisonOptions = {}): Comparison {
  if (series.length === 0) throw new RangeError('nothing to compare: choose at least one run or output');
  const percentiles = options.percentiles ?? DEFAULT_PERCENTILES;
  const thresholds = options.thresholds ?? [];
  const bins = options.bins ?? 40;
  const curvePoints = options.curvePoints ?? 200;
  const sorted = series.map((s) => sortedFinite(s.values));
  const moments = series.map((s) => meanAndSd(s.values));

  const row = (statistic: string, values: number[]): ComparisonRow => ({
    statistic,
    values,
    differences: values.map((v) => v - values[0]!),
  });
  const at = (f: (s: Float64Array, i: number) => number) => sorted.map(f);
  const rows: ComparisonRow[] = [
    row(
      'mean',
      moments.map((m) => m.mean),
    ),
    row(
      'sd',
      moments.map((m) => m.sd),
    ),
    row(
      'min',
      at((s) => (s.length ? s[0]! : Number.NaN)),
    ),
    ...percentiles.map((p) =>
      row(
        `P${p}`,
        at((s) => percentileOfSorted(s, p)),
      ),
    ),
    row(
      'max',
      at((s) => (s.length ? s[s.length - 1]! : Number.NaN)),
    ),
    ...thresholds.map((x) =>
      row(
        `P(> ${x})`,
        at((s) => exceedance(s, x)),
      ),
    ),
  ];

  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const s of sorted)
    if (s.length > 0) {
      min = Math.min(min, s[0]!);
      max = Math.max(max, s[s.length - 1]!);
    }
  const any = Number.isFinite(min);
  const width = any ? (max - min) / bins : 0;
  const edges = any
    ? max > min
      ? Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + i * width))
      : [min, max]
    : [];
  const histogramShares = sorted.map((s) => {
    const counts = new Array<number>(Math.max(0, edges.length - 1)).fill(0);
    if (s.length === 0 || counts.length === 0) return counts;
    for (const v of s) {
      const b = width > 0 ? Math.floor((v - min) / width) : 0;
      counts[Math.min(counts.length - 1, Math.max(0, b))]!++;
    }
    return counts.map((c) => c / s.length);
  });

  const x = any
    ? max > min
      ? Array.from({ length: curvePoints }, (_, i) =>
          i === curvePoints - 1 ? max : min + ((max - min) * i) / (curvePoints - 1),
        )
      : [min]
    : [];
  const cumulative = sorted.map((s) => x.map((v) => (s.length ? countAtOrBelow(s, v) / s.length : Number.NaN)));

  return {
    labels: series.map((s) => s.label),
    counts: sorted.map((s) => s.length),
    rows,
    sCurves: { x, cumulative },
    histogram: { edges, shares: histogramShares },
  };
}
