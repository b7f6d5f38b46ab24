import { percentileOfSorted } from './statistics';

/**
 * Whether a run has converged: the 95% confidence interval of the mean, and of each chosen
 * percentile (from the binomial bounds on order statistics), are each within `tolerance` of the
 * estimate, relative to it. Returns the worst relative half-width so progress can be shown.
 */
export function convergence(sorted: Float64Array, tolerance: number, percentiles: readonly number[] = [5, 50, 95]): { converged: boolean; worst: number } {
  const n = sorted.length;
  if (n < 1000) return { converged: false, worst: Number.POSITIVE_INFINITY };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (sorted[i]! - mean) ** 2;
  const halfMean = (1.959963984540054 * Math.sqrt(ss / (n - 1))) / Math.sqrt(n);
  const relative = (half: number, value: number) => (half === 0 ? 0 : half / Math.max(Math.abs(value), Number.MIN_VALUE));
  let worst = relative(halfMean, mean);
  for (const p of percentiles) {
    const q = p / 100;
    const spread = 1.959963984540054 * Math.sqrt(n * q * (1 - q));
    const lo = percentileOfSorted(sorted, (100 * Math.max(0, n * q - spread)) / n);
    const hi = percentileOfSorted(sorted, (100 * Math.min(n, n * q + spread)) / n);
    worst = Math.max(worst, relative((hi - lo) / 2, percentileOfSorted(sorted, p)));
  }
  return { converged: worst <= tolerance, worst };
}
