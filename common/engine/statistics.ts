import { momentsOf, type Moments } from './moments';
import { countBins, valuesAtRanks } from './order-statistics';

/** Summary statistics of one output; percentiles are exact (the values a full sort would give). */
export interface OutputStatistics {
  count: number;
  /** Iterations whose value was not a finite number (e.g. division by zero); excluded from the rest. */
  nonFinite: number;
  mean: number;
  sd: number;
  min: number;
  max: number;
  skewness: number;
  /** Excess kurtosis (0 for a normal distribution). */
  kurtosis: number;
  percentiles: Record<'p1' | 'p5' | 'p10' | 'p25' | 'p50' | 'p75' | 'p90' | 'p95' | 'p99', number>;
  /** 95% confidence interval of the mean (normal approximation). */
  ci95: [number, number];
  /** Equal-width bins from min to max: edges has one more entry than counts. */
  histogram: { edges: number[]; counts: number[] };
  /** The empirical CDF at 101 points: the value at each whole percentile 0, 1, …, 100. */
  cdf: { p: number; x: number }[];
}

/** The histogram's bins; fine bin counts come in a multiple of this (FINE_BINS, or the GPU's finer bins). */
export const HISTOGRAM_BINS = 50;

/** The histogram from the fine bin counts: equal-width bins from min to max. */
function histogramOf(fine: Uint32Array | null, m: Moments): OutputStatistics['histogram'] {
  if (m.n === 0) return { edges: [], counts: [] };
  if (!fine) return { edges: [m.min, m.max], counts: [m.n] };
  const width = (m.max - m.min) / HISTOGRAM_BINS;
  const edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) =>
    i === HISTOGRAM_BINS ? m.max : m.min + i * width,
  );
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  // The fine bins group exactly into the histogram's.
  const perBin = fine.length / HISTOGRAM_BINS;
  for (let b = 0; b < fine.length; b++) counts[Math.floor(b / perBin)]! += fine[b]!;
  return { edges, counts };
}

const LEVELS = [1, 5, 10, 25, 50, 75, 90, 95, 99] as const;

/** Percentile by linear interpolation between order statistics (numpy's default, type 7). */
export function percentileOfSorted(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * (p / 100);
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Type-7 percentile p of n sorted values, given the values at the ranks it needs. */
function percentileFrom(at: Map<number, number>, n: number, p: number): number {
  if (n === 0) return Number.NaN;
  const h = (n - 1) * (p / 100);
  const lo = Math.floor(h);
  const a = at.get(lo)!;
  return a + (h - lo) * (at.get(Math.min(n - 1, lo + 1))! - a);
}

/** The ranks type-7 percentiles at `levels` read. */
export function ranksFor(n: number, levels: readonly number[]): number[] {
  const ranks = new Set<number>();
  for (const p of levels) {
    const lo = Math.floor((n - 1) * (p / 100));
    ranks.add(lo);
    ranks.add(Math.min(n - 1, lo + 1));
  }
  return [...ranks];
}

/** Exact type-7 percentiles of the finite values, without sorting them all (order-statistics.ts). */
export function percentilesOf(
  values: Float64Array,
  levels: readonly number[],
  m: Moments = momentsOf(values),
): number[] {
  const at = valuesAtRanks(values, m.n, m, ranksFor(m.n, levels));
  return levels.map((p) => percentileFrom(at, m.n, p));
}

const CDF_LEVELS = Array.from({ length: 101 }, (_, p) => p);

/** The ranks summarize reads: those of the CDF at every whole percentile (the percentiles are among them). */
export function statisticsRanks(n: number): number[] {
  return ranksFor(n, CDF_LEVELS);
}

/**
 * Statistics from their parts: the moments, the fine bin counts (null when every value is equal
 * or there is none) and the values at statisticsRanks(n). Lets a worker pool count and collect on
 * every core and still give exactly what summarize gives.
 */
export function statisticsFrom(m: Moments, fine: Uint32Array | null, at: Map<number, number>): OutputStatistics {
  const n = m.n;
  // Undefined statistics are NaN (shown as "—"): all of them without a finite value, the standard
  // deviation of a single value, the shape of values that are all equal.
  const variance = n > 1 ? m.m2 / (n - 1) : Number.NaN;
  const sd = Math.sqrt(variance);
  const pop2 = m.m2 / n;
  const skewness = pop2 > 0 ? m.m3 / n / pop2 ** 1.5 : Number.NaN;
  const kurtosis = pop2 > 0 ? m.m4 / n / (pop2 * pop2) - 3 : Number.NaN;
  const percentiles = Object.fromEntries(
    LEVELS.map((p) => [`p${p}`, percentileFrom(at, n, p)]),
  ) as OutputStatistics['percentiles'];
  const half = 1.959963984540054 * (n > 1 ? sd / Math.sqrt(n) : Number.NaN);
  return {
    histogram: histogramOf(fine, m),
    cdf: CDF_LEVELS.map((p) => ({ p: p / 100, x: percentileFrom(at, n, p) })),
    count: n,
    nonFinite: m.nonFinite,
    mean: n > 0 ? m.mean : Number.NaN,
    sd,
    min: n > 0 ? m.min : Number.NaN,
    max: n > 0 ? m.max : Number.NaN,
    skewness,
    kurtosis,
    percentiles,
    ci95: [m.mean - half, m.mean + half],
  };
}

/**
 * Statistics of one output. `sorted`, when given, is `values` already sorted; `moments`, when
 * given, are the values' moments computed where they were produced. Percentiles are exact either way.
 */
export function summarize(values: Float64Array, sorted?: Float64Array, moments?: Moments): OutputStatistics {
  const m = moments ?? momentsOf(values);
  const n = m.n;
  const fine = n > 0 && m.max > m.min ? countBins(values, m) : null;
  const ranks = statisticsRanks(n);
  let at: Map<number, number>;
  if (sorted) {
    // Sorted order puts -Infinity first, then the finite values, then +Infinity and NaN.
    let offset = 0;
    while (offset < sorted.length && sorted[offset] === Number.NEGATIVE_INFINITY) offset++;
    at = new Map(ranks.map((r) => [r, sorted[offset + r]!]));
  } else at = valuesAtRanks(values, n, m, ranks, fine ?? undefined);
  return statisticsFrom(m, fine, at);
}
