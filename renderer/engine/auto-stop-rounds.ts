/**
 * Auto-stop in the app: the run goes in rounds of doubling size (10,000, 20,000, …, up to the
 * iterations asked for), each a whole run with the same seed (the counter-based RNG makes each
 * round's first iterations the previous round's), until every output has converged by the
 * criterion of common/engine/auto-stop.ts: the 95% confidence interval of the mean and of P5, P50
 * and P95 within the tolerance, relative to the estimate. Here the percentiles' interval ends are
 * read from the run's CDF (101 points), as the values themselves stay in the workers.
 */
import type { OutputStatistics } from '../../common/engine/statistics';
import type { SimulationSummary } from '../../common/engine/summary';

export const FIRST_ROUND_ITERATIONS = 10_000;
const Z95 = 1.959963984540054;

/** The value at percentile p (0–100, fractional) from the 101-point CDF, by linear interpolation. */
function valueAtPercent(cdf: OutputStatistics['cdf'], p: number): number {
  const at = Math.min(100, Math.max(0, p));
  const lo = Math.floor(at);
  const hi = Math.min(100, lo + 1);
  const a = cdf[lo]?.x ?? Number.NaN;
  const b = cdf[hi]?.x ?? a;
  return a + (at - lo) * (b - a);
}

/** The worst relative half-width of the 95% intervals of the mean and of P5, P50, P95 of one output. */
export function worstHalfWidth(stats: OutputStatistics, percentiles: readonly number[] = [5, 50, 95]): number {
  const n = stats.count;
  if (n < 1000 || stats.cdf.length < 101) return Number.POSITIVE_INFINITY;
  const relative = (half: number, value: number) =>
    half === 0 ? 0 : half / Math.max(Math.abs(value), Number.MIN_VALUE);
  let worst = relative((stats.ci95[1] - stats.ci95[0]) / 2, stats.mean);
  for (const p of percentiles) {
    const q = p / 100;
    const spread = Z95 * Math.sqrt(n * q * (1 - q));
    const low = valueAtPercent(stats.cdf, (100 * Math.max(0, n * q - spread)) / n);
    const high = valueAtPercent(stats.cdf, (100 * Math.min(n, n * q + spread)) / n);
    worst = Math.max(worst, relative((high - low) / 2, valueAtPercent(stats.cdf, p)));
  }
  return worst;
}

/** Whether every output of a round has converged within `tolerance`, and the worst figure (for the screen). */
export function roundConverged(summary: SimulationSummary, tolerance: number): { converged: boolean; worst: number } {
  const worst = Math.max(...Object.values(summary.outputs).map((stats) => worstHalfWidth(stats)));
  return { converged: worst <= tolerance, worst };
}

/** The sizes of the rounds up to `most` iterations: 10,000 doubling, the last one `most`. */
export function roundSizes(most: number): number[] {
  const sizes: number[] = [];
  for (let n = Math.min(FIRST_ROUND_ITERATIONS, most); n < most; n *= 2) sizes.push(n);
  sizes.push(most);
  return sizes;
}
