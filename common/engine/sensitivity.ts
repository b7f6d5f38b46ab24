import { argsort } from './argsort';
/**
 * Sensitivity of an output to each input: Spearman rank correlation, standardized regression
 * coefficients (SRC: the output regressed on all inputs at once, in standard-deviation units),
 * and each input's contribution to variance (its SRC² as a share of the sum of SRC², the split
 * of the variance the linear model explains, whose R² is reported with it).
 */
export interface InputSensitivity {
  input: string;
  rankCorrelation: number;
  src: number;
  contributionToVariance: number;
}

export interface OutputSensitivity {
  inputs: InputSensitivity[];
  /** Share of the output's variance the linear model explains; low values mean the SRCs tell less. */
  rSquared: number;
  /** Iterations the sensitivity was computed on. */
  iterations: number;
}

const rankCache = new WeakMap<Float64Array, Float64Array>();

/** Mid-ranks (ties share their average rank), 1-based. Cached per array: every output reuses its inputs' ranks. */
export function ranks(values: Float64Array): Float64Array {
  const cached = rankCache.get(values);
  if (cached) return cached;
  const order = argsort(values);
  const out = new Float64Array(values.length);
  for (let i = 0; i < order.length;) {
    const v = values[order[i]!]!;
    let j = i + 1;
    while (j < order.length && values[order[j]!] === v) j++;
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) out[order[k]!] = rank;
    i = j;
  }
  rankCache.set(values, out);
  return out;
}

export function pearson(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/** Solves A x = b for a symmetric positive (semi)definite A by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const p = m[col]![col]!;
    if (Math.abs(p) < 1e-12) continue; // a constant or collinear input: its coefficient stays 0
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r]![col]! / p;
      for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  return m.map((row, i) => (Math.abs(row[i]!) < 1e-12 ? 0 : row[n]! / row[i]!));
}

/** The iterations where the output is a finite number: only they say anything about what drives it. */
function finiteIterations(
  inputs: Record<string, Float64Array>,
  output: Float64Array,
): { inputs: Record<string, Float64Array>; output: Float64Array } {
  let finite = 0;
  for (let i = 0; i < output.length; i++) if (Number.isFinite(output[i]!)) finite++;
  if (finite === output.length) return { inputs, output };
  const keep = new Uint32Array(finite);
  for (let i = 0, k = 0; i < output.length; i++) if (Number.isFinite(output[i]!)) keep[k++] = i;
  const pick = (v: Float64Array) => Float64Array.from(keep, (i) => v[i]!);
  return {
    inputs: Object.fromEntries(Object.entries(inputs).map(([name, v]) => [name, pick(v)])),
    output: pick(output),
  };
}

/**
 * Sensitivity on the iterations whose output is finite; with fewer than three of them there is
 * none (no inputs listed, R² NaN): a rank correlation with values that are not numbers means nothing.
 */
export function sensitivity(allInputs: Record<string, Float64Array>, allOutput: Float64Array): OutputSensitivity {
  const { inputs, output } = finiteIterations(allInputs, allOutput);
  const n = output.length;
  if (n < 3) return { inputs: [], rSquared: Number.NaN, iterations: n };
  const names = Object.keys(inputs);
  const outputRanks = ranks(output);
  // Standardize every column, then the SRCs are the regression coefficients on the correlation matrix.
  const standardize = (v: Float64Array) => {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += v[i]!;
    mean /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (v[i]! - mean) ** 2;
    const sd = Math.sqrt(ss / n);
    return v.map((x) => (sd > 0 ? (x - mean) / sd : 0));
  };
  const z = names.map((name) => standardize(inputs[name]!));
  const zy = standardize(output);
  const dot = (a: Float64Array, b: Float64Array) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
    return s / n;
  };
  const corr = z.map((a) => z.map((b) => dot(a, b)));
  const xy = z.map((a) => dot(a, zy));
  const src = solve(corr, xy);
  const rSquared = src.reduce((s, b, i) => s + b * xy[i]!, 0);
  const total = src.reduce((s, b) => s + b * b, 0);
  return {
    inputs: names.map((input, i) => ({
      input,
      rankCorrelation: pearson(ranks(inputs[input]!), outputRanks),
      src: src[i]!,
      contributionToVariance: total > 0 ? src[i]! ** 2 / total : 0,
    })),
    rSquared,
    iterations: n,
  };
}
