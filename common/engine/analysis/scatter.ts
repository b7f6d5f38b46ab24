import { pearson, ranks } from '../sensitivity';
import { finiteIndices, pick } from './sample-math';

/**
 * An output against an input: Spearman's rank correlation from every iteration where both are
 * finite, and a bounded, deterministic subsample for the chart (every k-th of them, evenly
 * spread, the same each time), so a million points do not go to the canvas.
 */
export interface Scatter {
  /** Spearman's rho over all `iterations` (NaN with fewer than 3). */
  rankCorrelation: number;
  iterations: number;
  /** The plotted points: input values and output values, at most maxPoints. */
  x: number[];
  y: number[];
}

export const SCATTER_POINTS = 5_000;

export function scatter(input: Float64Array, output: Float64Array, maxPoints = SCATTER_POINTS): Scatter {
  const both = new Float64Array(output.length);
  for (let i = 0; i < output.length; i++) both[i] = Number.isFinite(input[i]!) ? output[i]! : Number.NaN;
  const keep = finiteIndices(both);
  const xs = pick(input, keep);
  const ys = pick(output, keep);
  const n = keep.length;
  // Fresh arrays: ranks() caches by array, and these are new each call.
  const rankCorrelation = n >= 3 ? pearson(ranks(xs), ranks(ys)) : Number.NaN;
  const shown = Math.min(n, maxPoints);
  const x: number[] = [];
  const y: number[] = [];
  for (let j = 0; j < shown; j++) {
    const i = Math.floor((j * n) / shown);
    x.push(xs[i]!);
    y.push(ys[i]!);
  }
  return { rankCorrelation, iterations: n, x, y };
}
