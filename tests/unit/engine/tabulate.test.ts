import { describe, expect, it } from 'vitest';
import { betaI, gammaP, invert, logGamma } from '../../../common/engine/distributions/gamma-beta';
import { tabulateQuantile } from '../../../common/engine/distributions/tabulate';

function betaExact(a: number, b: number) {
  const logB = logGamma(a) + logGamma(b) - logGamma(a + b);
  const pdf = (y: number) => (y <= 0 || y >= 1 ? 0 : Math.exp((a - 1) * Math.log(y) + (b - 1) * Math.log1p(-y) - logB));
  return { exact: (u: number) => invert((y) => betaI(a, b, y), pdf, u, 0, 1, a / (a + b)), pdf };
}

function gammaExact(k: number) {
  const pdf = (x: number) => (x <= 0 ? 0 : Math.exp((k - 1) * Math.log(x) - x - logGamma(k)));
  return { exact: (u: number) => invert((x) => gammaP(k, x), pdf, u, 0, Number.POSITIVE_INFINITY, k), pdf };
}

describe('tabulated quantiles', () => {
  it.each([
    ['PERT-like beta(1.5, 3.5)', betaExact(1.5, 3.5)],
    ['beta(0.5, 0.5)', betaExact(0.5, 0.5)],
    ['beta(8, 42)', betaExact(8, 42)],
    ['gamma(0.4)', gammaExact(0.4)],
    ['gamma(25)', gammaExact(25)],
  ])('%s agrees with the exact inverse to 1e-9 across the unit interval', (_name, { exact, pdf }) => {
    const fast = tabulateQuantile(exact, pdf);
    let worst = 0;
    for (let i = 1; i < 20_000; i++) {
      const u = i / 20_000;
      const want = exact(u);
      worst = Math.max(worst, Math.abs(fast(u) - want) / Math.max(1e-300, Math.abs(want)));
    }
    expect(worst).toBeLessThan(1e-9);
  });
});
