/**
 * Step tables of the discrete distributions (bernoulli, discrete, Poisson, binomial): support
 * points in order with their CDF and 1 − CDF. The CPU samples from them in f64 (catalog.ts) and
 * the GPU kernel from the same tables rounded to f32 (renderer/engine/webgpu), searching the
 * same way: the smallest point whose CDF reaches u, the upper half by the complement.
 */
import type { DistributionSpec } from './catalog';

/** A step distribution: support points in order with CDF and 1 - CDF, both to full relative precision. */
export interface StepTable {
  values: Float64Array;
  cdf: Float64Array;
  survival: Float64Array;
}

function stepTable(values: ArrayLike<number>, cdf: ArrayLike<number>, survival: ArrayLike<number>): StepTable {
  return { values: Float64Array.from(values), cdf: Float64Array.from(cdf), survival: Float64Array.from(survival) };
}

/** Probabilities below this fraction of the mode's are left out of Poisson and binomial tables. */
const INTEGER_TAIL_CUTOFF = 1e-30;

/**
 * Poisson and binomial: the probabilities by their ratio recurrence outwards from the mode,
 * normalised, so the table costs O(its length) even for lambda = 10^7 or n = 10^9 (the
 * incomplete gamma and beta would take seconds there, and carry 1e-7 at lambda = 5·10^6). The
 * mass left out is below 1e-25, far below any uniform a run draws; a uniform beyond it takes the
 * end point.
 */
function integerTable(mode: number, max: number, up: (k: number) => number, down: (k: number) => number): StepTable {
  const below: number[] = [];
  for (let k = mode, p = 1; k > 0; k--) {
    p *= down(k);
    if (!(p >= INTEGER_TAIL_CUTOFF)) break;
    below.push(p);
  }
  const above: number[] = [];
  for (let k = mode, p = 1; k < max; k++) {
    p *= up(k);
    if (!(p >= INTEGER_TAIL_CUTOFF)) break;
    above.push(p);
  }
  const pmf = [...below.reverse(), 1, ...above];
  const first = mode - below.length;
  const n = pmf.length;
  const cdf = new Float64Array(n);
  const survival = new Float64Array(n);
  let running = 0;
  for (let i = 0; i < n; i++) cdf[i] = running += pmf[i]!;
  running = 0;
  for (let i = n - 1; i >= 0; i--) {
    survival[i] = running;
    running += pmf[i]!;
  }
  const total = cdf[n - 1]!;
  for (let i = 0; i < n; i++) {
    cdf[i]! /= total;
    survival[i]! /= total;
  }
  cdf[n - 1] = 1;
  return stepTable(
    Array.from({ length: n }, (_, i) => first + i),
    cdf,
    survival,
  );
}

/** The step table of a bernoulli, discrete, Poisson or binomial distribution. */
export function discreteTable(
  spec: Extract<DistributionSpec, { type: 'bernoulli' | 'discrete' | 'poisson' | 'binomial' }>,
): StepTable {
  switch (spec.type) {
    case 'bernoulli':
      return stepTable([0, 1], [1 - spec.p, 1], [spec.p, 0]);
    case 'discrete': {
      const order = spec.values.map((v, i) => [v, spec.weights[i]!] as const).sort((x, y) => x[0] - y[0]);
      const total = order.reduce((s, [, w]) => s + w, 0);
      let running = 0;
      const cdf = order.map(([, w]) => (running += w / total));
      cdf[cdf.length - 1] = 1;
      // The complement from the weights above, not 1 - CDF, which would lose the upper tail.
      let tail = 0;
      const survival = new Array<number>(order.length);
      for (let i = order.length - 1; i >= 0; i--) {
        survival[i] = tail;
        tail += order[i]![1] / total;
      }
      return stepTable(
        order.map(([v]) => v),
        cdf,
        survival,
      );
    }
    case 'poisson': {
      const lambda = spec.lambda;
      return integerTable(
        Math.floor(lambda),
        Number.POSITIVE_INFINITY,
        (k) => lambda / (k + 1),
        (k) => k / lambda,
      );
    }
    case 'binomial': {
      const { n, p } = spec;
      if (p === 0 || p === 1) return stepTable([p === 0 ? 0 : n], [1], [0]);
      const odds = p / (1 - p);
      return integerTable(
        Math.min(n, Math.floor((n + 1) * p)),
        n,
        (k) => ((n - k) / (k + 1)) * odds,
        (k) => k / (n - k + 1) / odds,
      );
    }
  }
}
