/**
 * Tables the simulation kernel samples from, built on the CPU in f64 and rounded once to f32:
 * Hermite quantile tables for the distributions without a closed-form inverse (beta, PERT, gamma,
 * Student t), step tables for the discrete ones, and the points of a cumulative distribution.
 */
import { makeDistribution, type DistributionSpec } from '../../../../common/engine/distributions/catalog';

/**
 * Quantile tables: knots at t = k / TABLE_SCALE in logit(u) from TABLE_T_MIN to TABLE_T_MAX. The
 * step is a power of two and t = 0 is a knot, so the kernel finds knot and fraction exactly. The
 * range covers every uniform a run can draw (Philox gives |t| <= 22.9, the copula clamps at
 * 2^-53, |t| <= 36.7), except the far end of the lowest LHS stratum; 1 - u cannot be resolved in
 * f64 beyond t = 36, so the CPU's own exact quantile has nothing to say past there either.
 */
export const TABLE_SCALE = 128;
export const TABLE_T_MIN = -40;
export const TABLE_T_MAX = 36;
/** Index of the knot at t = 0, and of the last knot. */
export const TABLE_ZERO = -TABLE_T_MIN * TABLE_SCALE;
export const TABLE_LAST = (TABLE_T_MAX - TABLE_T_MIN) * TABLE_SCALE;

const F32_MAX = 3.4028234663852886e38;
const clampF32 = (x: number) => Math.min(F32_MAX, Math.max(-F32_MAX, x));

/**
 * Interleaved (x, dx/dk) at every knot, from the CPU distribution's exact quantile and density
 * (catalog.ts exposes them for this). The slope is u(1 - u) / pdf(x) per unit of t, scaled to one
 * knot; where the density underflows the slope is the secant of the neighbouring knots. Values
 * beyond f32's range are held at its largest finite value.
 */
export function quantileTable(exact: { quantile: (u: number) => number; pdf: (x: number) => number }): Float32Array {
  const knots = TABLE_LAST + 1;
  const xs = new Float64Array(knots);
  const slopes = new Float64Array(knots);
  for (let k = 0; k < knots; k++) {
    const t = (k - TABLE_ZERO) / TABLE_SCALE;
    const u = 1 / (1 + Math.exp(-t));
    const c = 1 / (1 + Math.exp(t));
    const x = exact.quantile(u);
    xs[k] = clampF32(x);
    slopes[k] = (u * c) / exact.pdf(x) / TABLE_SCALE;
  }
  const table = new Float32Array(2 * knots);
  for (let k = 0; k < knots; k++) {
    let slope = slopes[k]!;
    if (!Number.isFinite(slope) || Math.abs(xs[k]!) === F32_MAX) {
      const lo = Math.max(0, k - 1);
      const hi = Math.min(knots - 1, k + 1);
      slope = (xs[hi]! - xs[lo]!) / (hi - lo);
    }
    table[2 * k] = xs[k]!;
    table[2 * k + 1] = clampF32(slope);
  }
  return table;
}

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
 * normalised, so the table costs O(its length) even for lambda = 10^7 or n = 10^9 (the CPU's
 * incomplete gamma and beta would take seconds there). The mass left out is below 1e-25, far
 * below any uniform a run draws; a uniform beyond it takes the end point.
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

/** The step table of a bernoulli, discrete, Poisson or binomial distribution, built as catalog.ts builds its CDF. */
export function discreteTable(spec: Extract<DistributionSpec, { type: 'bernoulli' | 'discrete' | 'poisson' | 'binomial' }>): StepTable {
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
      return stepTable(order.map(([v]) => v), cdf, survival);
    }
    case 'poisson': {
      const lambda = spec.lambda;
      return integerTable(Math.floor(lambda), Number.POSITIVE_INFINITY, (k) => lambda / (k + 1), (k) => k / lambda);
    }
    case 'binomial': {
      const { n, p } = spec;
      if (p === 0 || p === 1) return stepTable([p === 0 ? 0 : n], [1], [0]);
      const odds = p / (1 - p);
      return integerTable(Math.min(n, Math.floor((n + 1) * p)), n, (k) => ((n - k) / (k + 1)) * odds, (k) => (k / (n - k + 1)) / odds);
    }
  }
}

/** A small cache of the expensive quantile tables, by distribution, so rerunning a model (or compiling it again) reuses them. */
const quantileTables = new Map<string, Float32Array>();
const CACHED_TABLES = 64;

export function cachedQuantileTable(spec: DistributionSpec): Float32Array {
  const key = JSON.stringify(spec);
  let table = quantileTables.get(key);
  if (table) {
    quantileTables.delete(key); // re-inserted below: most recently used last
  } else {
    const exact = makeDistribution(spec).exact;
    if (!exact) throw new Error(`The ${spec.type} distribution has no exact quantile to tabulate.`);
    table = quantileTable(exact);
  }
  quantileTables.set(key, table);
  while (quantileTables.size > CACHED_TABLES) quantileTables.delete(quantileTables.keys().next().value!);
  return table;
}
