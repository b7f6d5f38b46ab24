import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { momentsOf } from '../../../common/engine/moments';
import { percentileOfSorted, percentilesOf, summarize } from '../../../common/engine/statistics';

const LEVELS = [0, 0.1, 1, 5, 10, 25, 33.3, 50, 75, 90, 95, 99, 99.9, 100];

/** The reference: sort every finite value and read type-7 percentiles. */
function sortedPercentiles(values: Float64Array, levels: number[]): number[] {
  const finite = values.filter((v) => Number.isFinite(v)).sort();
  return levels.map((p) => percentileOfSorted(finite, p));
}

describe('exact percentiles without a full sort', () => {
  const samples: [string, () => Float64Array][] = [
    ['normal-like', () => Float64Array.from({ length: 200_000 }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1 + Math.cos(i * 78.233))],
    ['heavy-tailed (most values crowd one bin)', () => Float64Array.from({ length: 120_000 }, (_, i) => Math.exp(30 * Math.abs(Math.sin(i * 12.9898)) ** 8))],
    ['discrete with long ties', () => Float64Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 5)],
    ['with NaN and infinities', () => Float64Array.from({ length: 80_000 }, (_, i) => (i % 997 === 0 ? Number.NaN : i % 1999 === 0 ? Number.POSITIVE_INFINITY : i % 2003 === 0 ? Number.NEGATIVE_INFINITY : Math.tan(i)))],
    ['one value', () => new Float64Array(60_000).fill(3.5)],
  ];

  it.each(samples)('%s: the same values a full sort gives', (_name, make) => {
    const values = make();
    expect(percentilesOf(values, LEVELS)).toEqual(sortedPercentiles(values, LEVELS));
  });

  it('random samples of any size and shape agree with a sort', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 120_000 }), fc.integer(), fc.constantFrom(1, 3, 40), (n, seed, power) => {
        const values = Float64Array.from({ length: n }, (_, i) => Math.sign(Math.sin(i + seed)) * Math.abs(Math.sin((i + 1) * (seed % 1000 + 1.5))) ** power * 1e3);
        expect(percentilesOf(values, LEVELS)).toEqual(sortedPercentiles(values, LEVELS));
      }),
      { numRuns: 40 },
    );
  });

  it('summarize counts every finite value into the histogram and reads the CDF at whole percentiles', () => {
    const values = Float64Array.from({ length: 100_000 }, (_, i) => Math.sin(i) * 10);
    const s = summarize(values);
    expect(s.histogram.counts.reduce((a, b) => a + b, 0)).toBe(100_000);
    const ref = sortedPercentiles(values, Array.from({ length: 101 }, (_, p) => p));
    expect(s.cdf.map((c) => c.x)).toEqual(ref);
    expect(momentsOf(values)).toMatchObject({ n: 100_000, min: s.min, max: s.max });
  });
});
