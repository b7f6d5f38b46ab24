import { momentsOf } from '../moments';
import { valuesAtRanks } from '../order-statistics';

/**
 * Convergence of an output: its mean and chosen percentiles over the first k iterations, at
 * log-spaced checkpoints k, with 95% confidence bands. The mean's band is ±1.96·s/√k (s the sample
 * standard deviation, n − 1). A percentile's band is distribution-free: the order statistics at
 * ranks ⌊kp − 1.96√(kp(1−p))⌋ and ⌈kp + 1.96√(kp(1−p))⌉ (1-based, clamped to 1…k), the normal
 * approximation of the binomial count below the true percentile. Non-finite values are left out.
 */
export interface ConvergenceSeries {
  /** 'mean', or a percentile's label such as 'P90'. */
  label: string;
  value: number[];
  low: number[];
  high: number[];
}

export interface Convergence {
  /** Iterations at each checkpoint (1-based counts, increasing, the last is all of them). */
  checkpoints: number[];
  /** Finite values among the first checkpoints[i] iterations. */
  finite: number[];
  series: ConvergenceSeries[];
}

const Z95 = 1.959963984540054;

/** Up to `count` distinct iteration counts, log-spaced from `first` (or a tenth of a short run) to n. */
export function logCheckpoints(n: number, count = 100, first = 10): number[] {
  if (n <= 0) return [];
  const start = Math.min(first, Math.max(1, Math.ceil(n / 10)));
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const k = i === count - 1 ? n : Math.round(start * (n / start) ** (i / (count - 1)));
    if (out.length === 0 || k > out[out.length - 1]!) out.push(k);
  }
  return out;
}

/** The 0-based ranks of the distribution-free 95% interval of percentile p (0–100) among n sorted values. */
export function percentileIntervalRanks(n: number, p: number): [number, number] {
  const q = p / 100;
  const half = Z95 * Math.sqrt(n * q * (1 - q));
  const lo = Math.min(n, Math.max(1, Math.floor(n * q - half)));
  const hi = Math.min(n, Math.max(1, Math.ceil(n * q + half)));
  return [lo - 1, hi - 1];
}

export function convergence(
  values: Float64Array,
  percentiles: readonly number[] = [5, 50, 95],
  count = 100,
): Convergence {
  const checkpoints = logCheckpoints(values.length, count);
  const mean: ConvergenceSeries = { label: 'mean', value: [], low: [], high: [] };
  const bands = percentiles.map((p): ConvergenceSeries => ({ label: `P${p}`, value: [], low: [], high: [] }));
  const finite: number[] = [];
  for (const k of checkpoints) {
    const prefix = values.subarray(0, k);
    const m = momentsOf(prefix);
    finite.push(m.n);
    const half = m.n > 1 ? Z95 * Math.sqrt(m.m2 / (m.n - 1) / m.n) : Number.NaN;
    mean.value.push(m.n > 0 ? m.mean : Number.NaN);
    mean.low.push(m.mean - half);
    mean.high.push(m.mean + half);
    if (m.n === 0) {
      for (const band of bands) for (const list of [band.value, band.low, band.high]) list.push(Number.NaN);
      continue;
    }
    const wanted = new Set<number>();
    const plans = percentiles.map((p) => {
      const h = (m.n - 1) * (p / 100);
      const lo = Math.floor(h);
      const interval = percentileIntervalRanks(m.n, p);
      for (const r of [lo, Math.min(m.n - 1, lo + 1), ...interval]) wanted.add(r);
      return { h, lo, interval };
    });
    const at = valuesAtRanks(prefix, m.n, m, [...wanted]);
    plans.forEach(({ h, lo, interval }, j) => {
      const a = at.get(lo)!;
      bands[j]!.value.push(a + (h - lo) * (at.get(Math.min(m.n - 1, lo + 1))! - a));
      bands[j]!.low.push(at.get(interval[0])!);
      bands[j]!.high.push(at.get(interval[1])!);
    });
  }
  return { checkpoints, finite, series: [mean, ...bands] };
}
