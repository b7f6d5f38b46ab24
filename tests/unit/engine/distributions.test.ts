import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  makeDistribution,
  withModifiers,
  type DistributionSpec,
  type Modifiers,
} from '../../../common/engine/distributions/catalog';
import { standardNormalQuantile } from '../../../common/engine/distributions/normal';
import { standardNormalCdf } from '../../../common/engine/distributions/special';
import { fillUniforms } from '../../../common/engine/rng';

const N = 1_000_000;
const PERCENTILES = [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99];

// Each case: our spec, and the same distribution in scipy.stats (the reference, computed on this machine).
const CASES: {
  name: string;
  spec: DistributionSpec;
  modifiers?: Modifiers;
  scipy: string;
  discrete?: boolean;
  heavyTails?: boolean;
}[] = [
  { name: 'normal(10, 2)', spec: { type: 'normal', mean: 10, sd: 2 }, scipy: 'st.norm(loc=10, scale=2)' },
  {
    name: 'lognormal(mean 100, sd 30) as @RISK',
    spec: { type: 'lognormal', mean: 100, sd: 30 },
    scipy: 'st.lognorm(s=np.sqrt(np.log(1+0.09)), scale=np.exp(np.log(100)-np.log(1+0.09)/2))',
  },
  {
    name: 'lognormal2(mu 1, sigma 0.5)',
    spec: { type: 'lognormal2', mu: 1, sigma: 0.5 },
    scipy: 'st.lognorm(s=0.5, scale=np.exp(1))',
  },
  { name: 'uniform(5, 15)', spec: { type: 'uniform', min: 5, max: 15 }, scipy: 'st.uniform(loc=5, scale=10)' },
  {
    name: 'triangular(10, 20, 50)',
    spec: { type: 'triangular', min: 10, mode: 20, max: 50 },
    scipy: 'st.triang(c=0.25, loc=10, scale=40)',
  },
  { name: 'exponential(mean 3)', spec: { type: 'exponential', mean: 3 }, scipy: 'st.expon(scale=3)' },
  {
    name: 'weibull(shape 1.5, scale 10)',
    spec: { type: 'weibull', shape: 1.5, scale: 10 },
    scipy: 'st.weibull_min(c=1.5, scale=10)',
  },
  {
    name: 'gamma(shape 2.5, scale 3)',
    spec: { type: 'gamma', shape: 2.5, scale: 3 },
    scipy: 'st.gamma(a=2.5, scale=3)',
  },
  {
    name: 'gamma(shape 0.4, scale 2)',
    spec: { type: 'gamma', shape: 0.4, scale: 2 },
    scipy: 'st.gamma(a=0.4, scale=2)',
  },
  { name: 'beta(2, 5)', spec: { type: 'beta', alpha: 2, beta: 5 }, scipy: 'st.beta(2, 5)' },
  {
    name: 'beta(0.5, 0.5) on [10, 30]',
    spec: { type: 'beta', alpha: 0.5, beta: 0.5, min: 10, max: 30 },
    scipy: 'st.beta(0.5, 0.5, loc=10, scale=20)',
  },
  {
    name: 'pert(10, 20, 50) as @RISK',
    spec: { type: 'pert', min: 10, mode: 20, max: 50 },
    scipy: 'st.beta(2, 4, loc=10, scale=40)',
  },
  { name: 'student(df 4)', spec: { type: 'student', df: 4 }, scipy: 'st.t(df=4)', heavyTails: true },
  { name: 'student(df 30)', spec: { type: 'student', df: 30 }, scipy: 'st.t(df=30)' },
  { name: 'poisson(3.5)', spec: { type: 'poisson', lambda: 3.5 }, scipy: 'st.poisson(3.5)', discrete: true },
  { name: 'poisson(250)', spec: { type: 'poisson', lambda: 250 }, scipy: 'st.poisson(250)', discrete: true },
  {
    name: 'binomial(40, 0.15)',
    spec: { type: 'binomial', n: 40, p: 0.15 },
    scipy: 'st.binom(40, 0.15)',
    discrete: true,
  },
  { name: 'bernoulli(0.3)', spec: { type: 'bernoulli', p: 0.3 }, scipy: 'st.bernoulli(0.3)', discrete: true },
  {
    name: 'discrete(1,2,5; 1,2,1)',
    spec: { type: 'discrete', values: [5, 1, 2], weights: [1, 1, 2] },
    scipy: 'st.rv_discrete(values=([1,2,5],[0.25,0.5,0.25]))',
    discrete: true,
  },
  {
    name: 'cumulative(0:0, 10:0.5, 20:1)',
    spec: {
      type: 'cumulative',
      points: [
        [0, 0],
        [10, 0.5],
        [20, 1],
      ],
    },
    scipy: 'st.rv_histogram((np.array([0.5,0.5]), np.array([0.,10.,20.])))',
  },
  {
    name: 'normal(0,1) truncated to [-1, 2]',
    spec: { type: 'normal', mean: 0, sd: 1 },
    modifiers: { truncate: [-1, 2] },
    scipy: 'st.truncnorm(a=-1, b=2)',
  },
  // Truncation keeps both bounds: for a discrete distribution the lower bound's own step stays in.
  {
    name: 'poisson(3) truncated to [2, 5]',
    spec: { type: 'poisson', lambda: 3 },
    modifiers: { truncate: [2, 5] },
    scipy:
      'st.rv_discrete(values=(np.arange(2, 6), st.poisson(3).pmf(np.arange(2, 6)) / st.poisson(3).pmf(np.arange(2, 6)).sum()))',
    discrete: true,
  },
  {
    name: 'discrete(1, 2, 3, 5) truncated to [2, 3]',
    spec: { type: 'discrete', values: [1, 2, 3, 5], weights: [1, 2, 3, 4] },
    modifiers: { truncate: [2, 3] },
    scipy: 'st.rv_discrete(values=([2, 3], [0.4, 0.6]))',
    discrete: true,
  },
  {
    name: 'exponential(mean 3) shifted by 5',
    spec: { type: 'exponential', mean: 3 },
    modifiers: { shift: 5 },
    scipy: 'st.expon(loc=5, scale=3)',
  },
];

interface Reference {
  ppf: number[];
  cdfAtPpf: number[];
  pdf: number[];
  mean: number;
  variance: number;
  kurtosis: number | null;
}

const references: Reference[] = JSON.parse(
  execFileSync(
    'python3',
    [
      '-c',
      `
import json, numpy as np, scipy.stats as st
ps = ${JSON.stringify(PERCENTILES)}
out = []
for d, discrete in ${JSON.stringify(CASES.map((c) => [c.scipy, Boolean(c.discrete)]))
        .replace(/true/g, 'True')
        .replace(/false/g, 'False')}:
    dist = eval(d)
    m, v, k = dist.stats(moments='mvk')
    ppf = [float(dist.ppf(p)) for p in ps]
    pdf = [0.0 if discrete else float(dist.pdf(x)) for x in ppf]
    out.append(dict(ppf=ppf, cdfAtPpf=[float(dist.cdf(x)) for x in ppf], pdf=pdf, mean=float(m), variance=float(v), kurtosis=float(k) if np.isfinite(k) else None))
print(json.dumps(out))
`,
    ],
    { encoding: 'utf8' },
  ),
) as Reference[];

describe('distributions: 1,000,000 samples against scipy', () => {
  it.each(CASES.map((c, i) => [c.name, i] as const))('%s', (_name, index) => {
    const c = CASES[index]!;
    const ref = references[index]!;
    const dist = withModifiers(makeDistribution(c.spec), c.modifiers ?? {});
    const u = fillUniforms(20261122, index, 0, new Float64Array(N));
    const x = u.map((v) => dist.quantile(v));
    let sum = 0;
    for (const v of x) sum += v;
    const mean = sum / N;
    let ss = 0;
    for (const v of x) ss += (v - mean) ** 2;
    const sd = Math.sqrt(ss / (N - 1));
    const sigma = Math.sqrt(ref.variance);
    // Tolerances: five standard errors of each estimator.
    expect(Math.abs(mean - ref.mean), 'mean').toBeLessThan((5 * sigma) / Math.sqrt(N));
    // (The sample sd of a t with 4 degrees of freedom has infinite variance: no standard error to test against.)
    if (!c.heavyTails)
      expect(Math.abs(sd - sigma), 'sd').toBeLessThan(
        (5 * Math.sqrt((((ref.kurtosis ?? 0) + 2) * sigma ** 4) / N)) / (2 * sigma),
      );
    x.sort();
    PERCENTILES.forEach((p, k) => {
      const estimate = x[Math.min(N - 1, Math.floor(p * N))]!;
      if (c.discrete) {
        // The quantile function itself must agree with scipy's ppf (a sample quantile of a discrete
        // distribution may sit on either side of a jump, so it is not compared).
        if (Math.abs(ref.cdfAtPpf[k]! - p) > 1e-9) expect(dist.quantile(p), `p${p * 100}`).toBe(ref.ppf[k]);
      } else
        expect(Math.abs(estimate - ref.ppf[k]!), `p${p * 100}`).toBeLessThan(
          (5 * Math.sqrt((p * (1 - p)) / N)) / ref.pdf[k]! + 1e-12,
        );
    });
  });

  it('the normal quantile and CDF invert each other and match scipy to 1e-9', () => {
    const ps = [1e-10, 1e-6, 0.001, 0.02425, 0.1, 0.5, 0.9, 0.999, 1 - 1e-9];
    const ref = JSON.parse(
      execFileSync(
        'python3',
        [
          '-c',
          `import json, scipy.stats as st; print(json.dumps([[float(st.norm.ppf(p)), float(st.norm.cdf(st.norm.ppf(p)))] for p in ${JSON.stringify(ps)}]))`,
        ],
        { encoding: 'utf8' },
      ),
    ) as [number, number][];
    ps.forEach((p, i) => {
      expect(Math.abs(standardNormalQuantile(p) - ref[i]![0]) / Math.max(1, Math.abs(ref[i]![0]))).toBeLessThan(2e-9);
      expect(Math.abs(standardNormalCdf(ref[i]![0]) - ref[i]![1]) / ref[i]![1]).toBeLessThan(1e-12);
    });
  });
});
