import { describe, expect, it } from 'vitest';
import { betaI, gammaP, invert, logGamma } from '../../../common/engine/distributions/gamma-beta';
import { tabulateQuantile } from '../../../common/engine/distributions/tabulate';

function betaExact(a: number, b: number) {
  const logB = logGamma(a) + logGamma(b) - logGamma(a + b);
  const pdf = (y: number) => (y <= 0 || y >= 1 ? 0 : Math.exp((a - 1) * Math.log(y) + (b - 1) * Math.log1p(-y) - logB));
  return {
    exact: (u: number, guess?: number) => invert((y) => betaI(a, b, y), pdf, u, 0, 1, guess ?? a / (a + b)),
    pdf,
  };
}

function gammaExact(k: number) {
  const pdf = (x: number) => (x <= 0 ? 0 : Math.exp((k - 1) * Math.log(x) - x - logGamma(k)));
  return {
    exact: (u: number, guess?: number) => invert((x) => gammaP(k, x), pdf, u, 0, Number.POSITIVE_INFINITY, guess ?? k),
    pdf,
  };
}

describe('tabulated quantiles', () => {
  it.each([
    ['PERT-like beta(1.5, 3.5)', betaExact(1.5, 3.5)],
    ['beta(0.5, 0.5)', betaExact(0.5, 0.5)],
    ['beta(8, 42)', betaExact(8, 42)],
    ['gamma(0.4)', gammaExact(0.4)],
    ['gamma(25)', gammaExact(25)],
  ])('%s agrees with the exact inverse to 1e-9 across the unit interval', (_name, { exact, pdf }) => {
    const fast = tabulateQuantile(exact, pdf).quantile;
    let worst = 0;
    const tails = [1e-10, 3e-10, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4].flatMap((t) => [t, 1 - t]);
    for (const u of [...tails, ...Array.from({ length: 19_999 }, (_, i) => (i + 1) / 20_000)]) {
      const want = exact(u);
      worst = Math.max(worst, Math.abs(fast(u) - want) / Math.max(1e-300, Math.abs(want)));
    }
    expect(worst).toBeLessThan(1e-9);
  });

  it('fills a block with exactly the values the quantile function gives, tails included', () => {
    const { exact, pdf } = betaExact(1.5, 3.5);
    const table = tabulateQuantile(exact, pdf);
    const u = Float64Array.from([1e-6, 1e-3, 0.0199, 0.02, 0.3, 0.5, 0.98, 0.9801, 0.999, 1 - 1e-6]);
    const out = new Float64Array(u.length);
    table.fill(u, out, u.length);
    expect([...out]).toEqual([...u].map(table.quantile));
  });
});

describe('middle-tabulated lognormal', () => {
  it('agrees with exp(mu + sigma z(u)) to 1e-8 relative (Acklam’s 1.2e-9 in z, times sigma)', async () => {
    const { makeDistribution } = await import('../../../common/engine/distributions/catalog');
    const { standardNormalQuantile } = await import('../../../common/engine/distributions/normal');
    for (const [mu, sigma] of [
      [0, 0.1],
      [3.9, 0.24],
      [1, 1.5],
    ] as const) {
      const d = makeDistribution({ type: 'lognormal2', mu, sigma });
      let worst = 0;
      for (let i = 1; i < 50_000; i++) {
        const u = i / 50_000;
        const want = Math.exp(mu + sigma * standardNormalQuantile(u));
        worst = Math.max(worst, Math.abs(d.quantile(u) - want) / want);
      }
      expect(worst).toBeLessThan(1e-8);
    }
  });
});

describe('quantile tables shared between threads', () => {
  it('a distribution built after useQuantileTables reads the tables it was given, not new ones', async () => {
    const { makeDistribution } = await import('../../../common/engine/distributions/catalog');
    const { quantileTables, useQuantileTables } = await import('../../../common/engine/distributions/tabulate');
    const spec = { type: 'pert' as const, min: 3, mode: 4.25, max: 11 };
    const built = makeDistribution(spec);
    const tables = quantileTables();
    const keys = Object.keys(tables).filter((k) => k.startsWith('beta '));
    expect(keys.some((k) => k.endsWith('/middle')) && keys.some((k) => k.endsWith('/tails'))).toBe(true);
    // Hand over the tables as a worker receives them (copies), shifted by 1 so their use shows.
    const shifted = Object.fromEntries(
      Object.entries(tables).map(([k, t]) => [k, { xs: t.xs.map((x) => x + 1), slopes: t.slopes.slice() }]),
    );
    useQuantileTables(shifted);
    const reused = makeDistribution(spec);
    expect(reused.quantile(0.5)).toBeCloseTo(built.quantile(0.5) + 1, 12);
    useQuantileTables(tables); // put the true tables back for later tests
    expect(makeDistribution(spec).quantile(0.5)).toBe(built.quantile(0.5));
  });
});
