import { argsort } from '../argsort';
import { percentileOfSorted } from '../statistics';

/** Small pieces every analysis shares: finite values, type-7 percentiles, a deterministic order. */

export { percentileOfSorted };

/** The finite values of a sample, sorted ascending. (Plain loops: filter and from-with-a-function are several times slower.) */
export function sortedFinite(values: Float64Array): Float64Array {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! - values[i]! === 0) count++;
  const out = new Float64Array(count);
  for (let i = 0, k = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v - v === 0) out[k++] = v;
  }
  return out.sort();
}

/** Mean and sample standard deviation (n − 1) of the finite values, two passes; NaN where undefined. */
export function meanAndSd(values: Float64Array): { n: number; mean: number; sd: number } {
  let n = 0;
  let sum = 0;
  for (const v of values)
    if (Number.isFinite(v)) {
      n++;
      sum += v;
    }
  const mean = n > 0 ? sum / n : Number.NaN;
  let ss = 0;
  for (const v of values) if (Number.isFinite(v)) ss += (v - mean) ** 2;
  return { n, mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : Number.NaN };
}

/**
 * The permutation that sorts `values` ascending, ties in iteration order (numpy's stable argsort):
 * equal-count bins of a discrete input then split its tied values the same way every time.
 */
export function stableOrder(values: Float64Array): Uint32Array {
  const order = argsort(values);
  for (let i = 0; i < order.length;) {
    let j = i + 1;
    while (j < order.length && values[order[j]!] === values[order[i]!]) j++;
    if (j - i > 1) order.subarray(i, j).sort();
    i = j;
  }
  return order;
}

/** Iterations where the output is a finite number: only they say anything about what drives it. */
export function finiteIndices(output: Float64Array): Uint32Array {
  let count = 0;
  for (const v of output) if (Number.isFinite(v)) count++;
  const keep = new Uint32Array(count);
  for (let i = 0, k = 0; i < output.length; i++) if (Number.isFinite(output[i]!)) keep[k++] = i;
  return keep;
}

/** values[i] for each i of `indices`; `values` itself when the indices are all of them in order. */
export function pick(values: Float64Array, indices: Uint32Array): Float64Array {
  if (indices.length === values.length && (indices.length === 0 || indices[indices.length - 1] === indices.length - 1))
    return values;
  const out = new Float64Array(indices.length);
  for (let k = 0; k < indices.length; k++) out[k] = values[indices[k]!]!;
  return out;
}

/** A statistic of an output: its mean, or a percentile (0–100, type 7). */
export type OutputStatistic = { kind: 'mean' } | { kind: 'percentile'; p: number };

export function describeStatistic(statistic: OutputStatistic): string {
  return statistic.kind === 'mean' ? 'mean' : `P${statistic.p}`;
}

/** The statistic of a set of finite values (NaN when there are none). */
export function statisticOf(values: Float64Array, statistic: OutputStatistic): number {
  if (values.length === 0) return Number.NaN;
  if (statistic.kind === 'mean') {
    let sum = 0;
    for (const v of values) sum += v;
    return sum / values.length;
  }
  return percentileOfSorted(Float64Array.from(values).sort(), statistic.p);
}
