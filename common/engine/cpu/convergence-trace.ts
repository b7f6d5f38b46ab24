import { mergeSortedRuns } from '../merge-sorted';
import { percentileOfSorted } from '../statistics';
import { concatPieces } from './concat';

/** An output's mean and P5, P50, P95 over its first `n[k]` iterations (finite values only), at growing n. */
export interface ConvergenceTrace {
  n: number[];
  mean: number[];
  p5: number[];
  p50: number[];
  p95: number[];
}

/**
 * The trace reads at most this many first iterations of an output (a full run's own figures end
 * it): the sensitivity's budget. A million took 1.05 s for three outputs, between the last
 * iteration and the results; the analyses' convergence view reads every kept iteration anyway.
 */
export const TRACE_ITERATIONS = 200_000;

/** Iteration counts to read the trace at: 100, then ×√2 each step, ending with `total`. */
export function traceCheckpoints(total: number): number[] {
  const points: number[] = [];
  for (let n = Math.min(100, total); n < total; n = Math.ceil(n * Math.SQRT2)) points.push(n);
  if (total > 0) points.push(total);
  return points;
}

/**
 * The convergence trace of one output's first values: the mean as it runs, and the percentiles of
 * the first n values at each checkpoint, from a sorted prefix that grows by merging the next sorted
 * segment (so the whole costs one sort, not one per checkpoint).
 */
export function convergenceTrace(values: Float64Array): ConvergenceTrace {
  const trace: ConvergenceTrace = { n: [], mean: [], p5: [], p50: [], p95: [] };
  let sorted: Float64Array = new Float64Array(0);
  let sum = 0;
  let finite = 0;
  let from = 0;
  for (const n of traceCheckpoints(values.length)) {
    const segment = new Float64Array(n - from);
    let k = 0;
    for (let i = from; i < n; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) continue;
      sum += v;
      finite++;
      segment[k++] = v;
    }
    const joined = new Float64Array(sorted.length + k);
    joined.set(sorted);
    joined.set(segment.subarray(0, k).sort(), sorted.length);
    sorted = mergeSortedRuns(joined, [
      [0, sorted.length],
      [sorted.length, joined.length],
    ]);
    from = n;
    trace.n.push(n);
    trace.mean.push(finite ? sum / finite : Number.NaN);
    trace.p5.push(percentileOfSorted(sorted, 5));
    trace.p50.push(percentileOfSorted(sorted, 50));
    trace.p95.push(percentileOfSorted(sorted, 95));
  }
  return trace;
}

/** The trace of every output of a run's pieces, from at most TRACE_ITERATIONS first iterations each. */
export function convergenceTraces(outputs: Record<string, Float64Array[]>): Record<string, ConvergenceTrace> {
  const traces: Record<string, ConvergenceTrace> = {};
  for (const [name, pieces] of Object.entries(outputs)) {
    let kept = 0;
    const first: Float64Array[] = [];
    for (const piece of pieces) {
      if (kept >= TRACE_ITERATIONS) break;
      first.push(piece.subarray(0, TRACE_ITERATIONS - kept));
      kept += first[first.length - 1]!.length;
    }
    traces[name] = convergenceTrace(concatPieces(first));
  }
  return traces;
}
