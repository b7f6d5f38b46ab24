import { momentsOf, type Moments } from './moments';
import { percentilesOf } from './statistics';

/**
 * Whether a run has converged: the 95% confidence interval of the mean, and of each chosen
 * percentile (from the binomial bounds on order statistics), are each within `tolerance` of the
 * estimate, relative to it. Returns the worst relative half-width so progress can be shown.
 * `moments`, when given, are those of `values` (computed where the values were produced).
 */
export function convergence(
  values: Float64Array,
  tolerance: number,
  percentiles: readonly number[] = [5, 50, 95],
  moments?: Moments,
): { converged: boolean; worst: number } {
  const m = moments ?? momentsOf(values);
  const n = m.n;
  if (n < 1000) return { converged: false, worst: Number.POSITIVE_INFINITY };
  const halfMean = (1.959963984540054 * Math.sqrt(m.m2 / (n - 1))) / Math.sqrt(n);
  const relative = (half: number, value: number) =>
    half === 0 ? 0 : half / Math.max(Math.abs(value), Number.MIN_VALUE);
  // For each percentile: the percentile itself and the two ends of its confidence interval.
  const levels = percentiles.flatMap((p) => {
    const q = p / 100;
    const spread = 1.959963984540054 * Math.sqrt(n * q * (1 - q));
    return [p, (100 * Math.max(0, n * q - spread)) / n, (100 * Math.min(n, n * q + spread)) / n];
  });
  const at = percentilesOf(values, levels, m);
  let worst = relative(halfMean, m.mean);
  for (let i = 0; i < percentiles.length; i++)
    worst = Math.max(worst, relative((at[3 * i + 2]! - at[3 * i + 1]!) / 2, at[3 * i]!));
  return { converged: worst <= tolerance, worst };
}
