/**
 * Rank correlation by a Gaussian copula: for each iteration, independent normals from the
 * inputs' own uniforms are mixed by the Cholesky factor of a Pearson matrix, mapped back to
 * uniforms, then through each input's inverse CDF. Per iteration, so runs still split into
 * partitions and map onto the GPU. Spearman's ρ of a Gaussian copula is (6/π)·asin(r/2), so the
 * requested rank correlations are converted with r = 2·sin(πρ/6). A requested matrix that is not
 * positive semi-definite is replaced by the nearest correlation matrix (Higham 2002), and the
 * values actually used are reported.
 */
export interface CorrelationRequest {
  a: string;
  b: string;
  rank: number;
}

export interface CorrelationAdjustment {
  a: string;
  b: string;
  requested: number;
  used: number;
}

export interface CorrelationPlan {
  /** Inputs taking part, in the order of the matrix. */
  names: string[];
  /** Lower-triangular Cholesky factor of the Pearson matrix, row-major n×n. */
  cholesky: Float64Array;
  adjustments: CorrelationAdjustment[];
}

const toPearson = (rank: number) => 2 * Math.sin((Math.PI * rank) / 6);
const toRank = (pearson: number) => (6 / Math.PI) * Math.asin(pearson / 2);

/** Cholesky factor of a symmetric matrix, or null if it is not positive definite. */
export function cholesky(m: number[][]): Float64Array | null {
  const n = m.length;
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = m[i]![j]!;
      for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (sum <= 1e-12) return null;
        l[i * n + i] = Math.sqrt(sum);
      } else {
        l[i * n + j] = sum / l[j * n + j]!;
      }
    }
  }
  return l;
}

/** Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations: m = V diag(values) Vᵀ. */
export function symmetricEigen(m: number[][]): { values: number[]; vectors: number[][] } {
  const n = m.length;
  const a = m.map((row) => [...row]);
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p]![q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(a[p]![q]!) < 1e-300) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * a[p]![q]!);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: a.map((row, i) => row[i]!), vectors: v };
}

/** The nearest correlation matrix (unit diagonal, eigenvalues ≥ floor): Higham's alternating projections with Dykstra's correction. */
export function nearestCorrelation(m: number[][], floor = 1e-6): number[][] {
  const n = m.length;
  let y = m.map((row) => [...row]);
  let correction = m.map((row) => row.map(() => 0));
  for (let iteration = 0; iteration < 500; iteration++) {
    const r = y.map((row, i) => row.map((value, j) => value - correction[i]![j]!));
    const { values, vectors } = symmetricEigen(r);
    const clipped = values.map((v) => Math.max(v, floor));
    const x = Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) =>
        vectors[i]!.reduce((s, vik, k) => s + vik * clipped[k]! * vectors[j]![k]!, 0),
      ),
    );
    correction = x.map((row, i) => row.map((value, j) => value - r[i]![j]!));
    const next = x.map((row, i) => row.map((value, j) => (i === j ? 1 : value)));
    const change = Math.max(...next.flatMap((row, i) => row.map((value, j) => Math.abs(value - y[i]![j]!))));
    y = next;
    if (change < 1e-10) break;
  }
  return y;
}

/**
 * Checks the requested rank correlations against the model's inputs and prepares the copula.
 * Returns errors (unknown names, an input correlated with itself, a pair given twice) or a plan.
 */
export function planCorrelation(
  inputs: readonly string[],
  requests: readonly CorrelationRequest[],
): { plan: CorrelationPlan | null; errors: string[] } {
  const errors: string[] = [];
  const names: string[] = [];
  const seen = new Set<string>();
  for (const request of requests) {
    for (const name of [request.a, request.b]) {
      if (!inputs.includes(name)) errors.push(`correlations: "${name}" is not an input`);
      else if (!names.includes(name)) names.push(name);
    }
    if (request.a === request.b) errors.push(`correlations: ${request.a} cannot be correlated with itself`);
    const key = [request.a, request.b].sort().join('\u0000');
    if (seen.has(key)) errors.push(`correlations: ${request.a} and ${request.b} are given more than once`);
    seen.add(key);
  }
  if (errors.length > 0 || names.length === 0) return { plan: null, errors };

  const n = names.length;
  const pearson: number[][] = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)),
  );
  for (const request of requests) {
    const i = names.indexOf(request.a);
    const j = names.indexOf(request.b);
    pearson[i]![j] = pearson[j]![i] = toPearson(request.rank);
  }
  let factor = cholesky(pearson);
  const adjustments: CorrelationAdjustment[] = [];
  if (!factor) {
    const repaired = nearestCorrelation(pearson);
    factor = cholesky(repaired);
    if (!factor)
      return { plan: null, errors: ['correlations: the matrix could not be repaired to a valid correlation matrix'] };
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const requested =
          requests.find((r) => (r.a === names[i] && r.b === names[j]) || (r.a === names[j] && r.b === names[i]))
            ?.rank ?? 0;
        adjustments.push({
          a: names[i]!,
          b: names[j]!,
          requested,
          used: Math.round(toRank(repaired[i]![j]!) * 1e4) / 1e4,
        });
      }
    }
  }
  return { plan: { names, cholesky: factor, adjustments }, errors: [] };
}
