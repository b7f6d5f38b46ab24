/** Summary statistics of one output; percentiles are exact (from the sorted values). */
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

const HISTOGRAM_BINS = 50;

function histogramOf(sorted: Float64Array): OutputStatistics['histogram'] {
  const n = sorted.length;
  if (n === 0) return { edges: [], counts: [] };
  const min = sorted[0]!;
  const max = sorted[n - 1]!;
  if (min === max) return { edges: [min, max], counts: [n] };
  const width = (max - min) / HISTOGRAM_BINS;
  const edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) => (i === HISTOGRAM_BINS ? max : min + i * width));
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  for (let i = 0; i < n; i++) counts[Math.min(HISTOGRAM_BINS - 1, Math.floor((sorted[i]! - min) / width))]! += 1;
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

/** `sorted`, when given, is `values` already sorted (the worker pool sorts on every core). */
export function summarize(values: Float64Array, sorted?: Float64Array): OutputStatistics {
  const finite = (sorted ?? values).filter((v) => Number.isFinite(v));
  const n = finite.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += finite[i]!;
  const mean = sum / n;
  // Two-pass central moments: stable where a one-pass formula loses digits.
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = finite[i]! - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  const variance = n > 1 ? m2 / (n - 1) : 0;
  const sd = Math.sqrt(variance);
  const pop2 = m2 / n;
  const skewness = pop2 > 0 ? m3 / n / pop2 ** 1.5 : 0;
  const kurtosis = pop2 > 0 ? m4 / n / (pop2 * pop2) - 3 : 0;
  if (!sorted) finite.sort();
  const percentiles = Object.fromEntries(LEVELS.map((p) => [`p${p}`, percentileOfSorted(finite, p)])) as OutputStatistics['percentiles'];
  const half = 1.959963984540054 * (sd / Math.sqrt(n));
  return {
    histogram: histogramOf(finite),
    cdf: Array.from({ length: 101 }, (_, p) => ({ p: p / 100, x: percentileOfSorted(finite, p) })),
    count: n,
    nonFinite: values.length - n,
    mean,
    sd,
    min: n ? finite[0]! : Number.NaN,
    max: n ? finite[n - 1]! : Number.NaN,
    skewness,
    kurtosis,
    percentiles,
    ci95: [mean - half, mean + half],
  };
}
