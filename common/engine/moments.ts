/**
 * Central moments of the finite values of a sample, kept as sums so that partitions computed on
 * different threads combine exactly as if computed together (Chan et al. 1979 for the mean and
 * M2; Pébay 2008 for M3 and M4). Within a partition the sums are two-pass: stable where a
 * one-pass formula loses digits.
 */
export interface Moments {
  /** Finite values counted. */
  n: number;
  /** Values that were NaN or infinite (left out of everything else). */
  nonFinite: number;
  mean: number;
  /** Sums of the 2nd, 3rd and 4th powers of deviations from the mean. */
  m2: number;
  m3: number;
  m4: number;
  min: number;
  max: number;
}

export function momentsOf(values: Float64Array, start = 0, end = values.length): Moments {
  let n = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = start; i < end; i++) {
    const v = values[i]!;
    if (v - v !== 0) continue; // NaN and ±Infinity
    n++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = n > 0 ? sum / n : Number.NaN;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = start; i < end; i++) {
    const v = values[i]!;
    if (v - v !== 0) continue;
    const d = v - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  return { n, nonFinite: end - start - n, mean, m2, m3, m4, min: n ? min : Number.NaN, max: n ? max : Number.NaN };
}

export function combineMoments(a: Moments, b: Moments): Moments {
  if (a.n === 0) return { ...b, nonFinite: a.nonFinite + b.nonFinite };
  if (b.n === 0) return { ...a, nonFinite: a.nonFinite + b.nonFinite };
  const n = a.n + b.n;
  const d = b.mean - a.mean;
  const d2 = d * d;
  const na = a.n;
  const nb = b.n;
  return {
    n,
    nonFinite: a.nonFinite + b.nonFinite,
    mean: a.mean + (d * nb) / n,
    m2: a.m2 + b.m2 + (d2 * na * nb) / n,
    m3: a.m3 + b.m3 + (d2 * d * na * nb * (na - nb)) / (n * n) + (3 * d * (na * b.m2 - nb * a.m2)) / n,
    m4:
      a.m4 +
      b.m4 +
      (d2 * d2 * na * nb * (na * na - na * nb + nb * nb)) / (n * n * n) +
      (6 * d2 * (na * na * b.m2 + nb * nb * a.m2)) / (n * n) +
      (4 * d * (na * b.m3 - nb * a.m3)) / n,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
  };
}
