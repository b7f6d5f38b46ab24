/**
 * A fast quantile function for distributions whose exact inverse needs an iterative solve (beta,
 * PERT, gamma, Student t): cubic Hermite interpolation through 4,096 exact points, spaced evenly
 * in logit(u) so the tails are as finely covered as the middle, with the exact slope dQ/dt at each
 * point. Beyond 1e-3 and 1 − 1e-3 (0.2% of draws) the exact solve is used. The interpolation
 * error is below 1e-9 relative (tests/unit/engine/tabulate.test.ts), far below sampling error.
 */
const LOW = 1e-3;
const HIGH = 1 - 1e-3;
const KNOTS = 4096;
const logit = (u: number) => Math.log(u) - Math.log1p(-u);

export function tabulateQuantile(exact: (u: number) => number, pdf: (x: number) => number): (u: number) => number {
  const t0 = logit(LOW);
  const h = (logit(HIGH) - t0) / (KNOTS - 1);
  const xs = new Float64Array(KNOTS);
  const slopes = new Float64Array(KNOTS);
  for (let k = 0; k < KNOTS; k++) {
    const u = 1 / (1 + Math.exp(-(t0 + k * h)));
    const x = exact(u);
    xs[k] = x;
    slopes[k] = (h * u * (1 - u)) / pdf(x); // dQ/dt, scaled to one knot interval
  }
  return (u) => {
    if (!(u >= LOW && u <= HIGH)) return exact(u);
    const s = (logit(u) - t0) / h;
    const k = Math.min(KNOTS - 2, Math.floor(s));
    const f = s - k;
    const f2 = f * f;
    const f3 = f2 * f;
    return (2 * f3 - 3 * f2 + 1) * xs[k]! + (f3 - 2 * f2 + f) * slopes[k]! + (-2 * f3 + 3 * f2) * xs[k + 1]! + (f3 - f2) * slopes[k + 1]!;
  };
}
