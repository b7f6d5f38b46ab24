import { describe, expect, it } from 'vitest';
import type { DistributionSpec } from '../../../common/engine/distributions/catalog';
import { makeDistribution, withModifiers } from '../../../common/engine/distributions/catalog';
import { previewDistribution } from '../../../common/engine/distributions/preview';
import { GALLERY } from '../../../renderer/features/editor/distributions';
import { InputSchema } from '../../../common/model/model';

const at = (preview: ReturnType<typeof previewDistribution>, p: number) =>
  preview.percentiles.find((q) => q.p === p)!.x;

describe('the editor’s distribution preview', () => {
  it('Normal(0, 1): mean 0, sd 1, P5 −1.6449, P50 0, P95 1.6449', () => {
    const preview = previewDistribution({ type: 'normal', mean: 0, sd: 1 });
    expect(preview.mean).toBe(0);
    expect(preview.sd).toBe(1);
    expect(at(preview, 0.95)).toBeCloseTo(1.644854, 5);
    expect(at(preview, 0.05)).toBeCloseTo(-1.644854, 5);
    expect(at(preview, 0.5)).toBeCloseTo(0, 9);
    // The density peaks at 1/√(2π) and the CDF runs from near 0 to near 1.
    expect(Math.max(...preview.density.map((p) => p[1]))).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 3);
    expect(preview.cdf[0]![1]).toBeLessThan(0.001);
    expect(preview.cdf[preview.cdf.length - 1]![1]).toBeGreaterThan(0.999);
  });

  it.each<[string, DistributionSpec, number, number]>([
    ['Uniform(2, 8)', { type: 'uniform', min: 2, max: 8 }, 5, Math.sqrt(3)],
    ['Triangular(0, 3, 6)', { type: 'triangular', min: 0, mode: 3, max: 6 }, 3, Math.sqrt(1.5)],
    ['Exponential(mean 4)', { type: 'exponential', mean: 4 }, 4, 4],
    ['Gamma(2, 3)', { type: 'gamma', shape: 2, scale: 3 }, 6, Math.sqrt(18)],
    ['Lognormal(mean 10, sd 3)', { type: 'lognormal', mean: 10, sd: 3 }, 10, 3],
    ['Poisson(4)', { type: 'poisson', lambda: 4 }, 4, 2],
    ['Binomial(10, 0.3)', { type: 'binomial', n: 10, p: 0.3 }, 3, Math.sqrt(2.1)],
    ['Bernoulli(0.2)', { type: 'bernoulli', p: 0.2 }, 0.2, 0.4],
    [
      'Discrete(0, 4, 8 by 0.5, 0.3, 0.2)',
      { type: 'discrete', values: [0, 4, 8], weights: [0.5, 0.3, 0.2] },
      2.8,
      Math.sqrt(9.76),
    ],
    ['PERT(0, 3, 12)', { type: 'pert', min: 0, mode: 3, max: 12 }, 4, Math.sqrt((2 * 4 * 144) / (36 * 7))],
    ['Student t(5)', { type: 'student', df: 5 }, 0, Math.sqrt(5 / 3)],
    ['Weibull(1, 2) (an exponential)', { type: 'weibull', shape: 1, scale: 2 }, 2, 2],
  ])('%s has its known mean and standard deviation', (_, spec, mean, sd) => {
    const preview = previewDistribution(spec);
    expect(preview.mean).toBeCloseTo(mean, 6);
    expect(preview.sd).toBeCloseTo(sd, 6);
  });

  it('a truncated normal’s mean and sd come out of the numeric path: Normal(0,1) on [0, 100] is the half-normal', () => {
    const preview = previewDistribution({ type: 'normal', mean: 0, sd: 1 }, { truncate: [0, 100] });
    expect(preview.mean).toBeCloseTo(Math.sqrt(2 / Math.PI), 4);
    expect(preview.sd).toBeCloseTo(Math.sqrt(1 - 2 / Math.PI), 4);
    // Its median is the normal's P75.
    expect(at(preview, 0.5)).toBeCloseTo(0.6744898, 5);
    // No density below the truncation.
    expect(preview.density.filter(([x]) => x < 0).every(([, y]) => y === 0)).toBe(true);
  });

  it('shift moves the mean and the percentiles and keeps the sd', () => {
    const preview = previewDistribution({ type: 'normal', mean: 0, sd: 1 }, { shift: 10 });
    expect(preview.mean).toBe(10);
    expect(preview.sd).toBe(1);
    expect(at(preview, 0.95)).toBeCloseTo(11.644854, 5);
  });

  it('every gallery distribution previews, and its percentiles are the engine’s (truncation and shift applied)', () => {
    for (const entry of GALLERY) {
      const modifiers = { truncate: [-1e6, 1e6] as [number, number], shift: 1.5 };
      const preview = previewDistribution(entry.example, modifiers);
      const engine = withModifiers(makeDistribution(entry.example), modifiers);
      expect(preview.discrete, entry.type).toBe(entry.discrete);
      for (const { p, x } of preview.percentiles)
        expect(x, `${entry.type} P${p * 100}`).toBeCloseTo(engine.quantile(p), 5);
      expect(Number.isFinite(preview.mean), entry.type).toBe(true);
    }
  });

  it('a truncation range that holds none of the distribution is said so, not drawn', () => {
    expect(() => previewDistribution({ type: 'bernoulli', p: 0.5 }, { truncate: [2, 3] })).toThrow(
      'the truncation range holds none of the distribution',
    );
  });
});

describe('the gallery', () => {
  // Every distribution type of the engine, checked by the compiler: a new one fails to compile here until listed.
  const ENGINE_TYPES: Record<DistributionSpec['type'], true> = {
    normal: true,
    lognormal: true,
    lognormal2: true,
    uniform: true,
    triangular: true,
    exponential: true,
    weibull: true,
    gamma: true,
    beta: true,
    pert: true,
    student: true,
    poisson: true,
    binomial: true,
    bernoulli: true,
    discrete: true,
    cumulative: true,
  };

  it('offers every distribution of the engine once, each example valid under the model schema', () => {
    expect(GALLERY.map((g) => g.type).sort()).toEqual(Object.keys(ENGINE_TYPES).sort());
    for (const entry of GALLERY)
      expect(InputSchema.safeParse({ name: 'x', dist: entry.example }).success, entry.type).toBe(true);
  });

  it('groups the bars of a distribution with tens of thousands of support points, keeping its mass', () => {
    const preview = previewDistribution({ type: 'poisson', lambda: 1e7 });
    expect(preview.density.length).toBeLessThanOrEqual(200);
    expect(preview.density.reduce((s, [, p]) => s + p, 0)).toBeCloseTo(1, 6);
    expect(preview.mean).toBeCloseTo(1e7, 0);
    expect(preview.sd).toBeCloseTo(Math.sqrt(1e7), 3);
  });
});
