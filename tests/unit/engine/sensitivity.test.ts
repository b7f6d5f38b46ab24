import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { makeDistribution } from '../../../common/engine/distributions/catalog';
import { fillUniforms } from '../../../common/engine/rng';
import { ranks, sensitivity } from '../../../common/engine/sensitivity';

const sample = (stream: number, n: number, dist = makeDistribution({ type: 'normal', mean: 0, sd: 1 })) =>
  fillUniforms(3, stream, 0, new Float64Array(n)).map((u) => dist.quantile(u));

describe('sensitivity', () => {
  it('ranks with ties sharing their mean rank', () => {
    expect([...ranks(Float64Array.from([10, 30, 20, 30, 5]))]).toEqual([2, 4.5, 3, 4.5, 1]);
  });

  it('ranks a discrete input with 300,000 tied values (a Bernoulli column) correctly', () => {
    const values = new Float64Array(400_000);
    values.fill(1, 300_000);
    const r = ranks(values);
    expect(r[0]).toBe(150_000.5);
    expect(r[399_999]).toBe(350_000.5);
  });

  it('recovers the known structure of y = 3a + b + 0·c', () => {
    const n = 50_000;
    const a = sample(0, n);
    const b = sample(1, n);
    const c = sample(2, n);
    const y = a.map((v, i) => 3 * v + b[i]!);
    const s = sensitivity({ a, b, c }, y);
    const [sa, sb, sc] = s.inputs;
    expect(sa!.src).toBeCloseTo(3 / Math.sqrt(10), 2);
    expect(sb!.src).toBeCloseTo(1 / Math.sqrt(10), 2);
    expect(Math.abs(sc!.src)).toBeLessThan(0.01);
    expect(sa!.contributionToVariance).toBeCloseTo(0.9, 2);
    expect(sb!.contributionToVariance).toBeCloseTo(0.1, 2);
    expect(s.rSquared).toBeCloseTo(1, 6);
    // For normals, Spearman's rho = (6/π)·asin(r/2).
    expect(sa!.rankCorrelation).toBeCloseTo((6 / Math.PI) * Math.asin(3 / Math.sqrt(10) / 2), 2);
  });

  it('matches scipy.stats.spearmanr and a numpy least-squares fit on the same data', () => {
    const n = 5000;
    const a = sample(4, n, makeDistribution({ type: 'lognormal', mean: 10, sd: 4 }));
    const b = sample(5, n, makeDistribution({ type: 'triangular', min: 0, mode: 1, max: 5 }));
    const y = a.map((v, i) => v * b[i]! + Math.sqrt(v));
    const ours = sensitivity({ a, b }, y);
    const ref = JSON.parse(
      execFileSync(
        'python3',
        [
          '-c',
          `import sys, json, numpy as np, scipy.stats as st
d = json.load(sys.stdin); a, b, y = (np.array(d[k]) for k in 'aby')
z = lambda v: (v - v.mean()) / v.std()
X = np.column_stack([z(a), z(b)]); coef, *_ = np.linalg.lstsq(X, z(y), rcond=None)
print(json.dumps(dict(rho=[st.spearmanr(a, y)[0], st.spearmanr(b, y)[0]], src=list(coef))))`,
        ],
        { input: JSON.stringify({ a: [...a], b: [...b], y: [...y] }), encoding: 'utf8' },
      ),
    ) as { rho: number[]; src: number[] };
    ours.inputs.forEach((s, i) => {
      expect(s.rankCorrelation).toBeCloseTo(ref.rho[i]!, 10);
      expect(s.src).toBeCloseTo(ref.src[i]!, 10);
    });
  });
});
