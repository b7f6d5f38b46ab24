/**
 * The Hermite quantile tables the simulation kernel samples the distributions without a
 * closed-form inverse from (beta, PERT, gamma, Student t), built on the CPU in f64 and rounded
 * once to f32. The discrete ones' step tables are common/engine/distributions/step-tables.ts,
 * which the CPU samples from too.
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
