import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { momentsOf } from '../../../common/engine/moments';
import {
  countBins,
  crowdedRanks,
  FINE_BINS,
  singleValueFineBins,
  sortedRanks,
  toCollect,
  valuesAtRanks,
  wantedBinsIfFew,
} from '../../../common/engine/order-statistics';
import { percentileOfSorted, percentilesOf, statisticsRanks, summarize } from '../../../common/engine/statistics';

const LEVELS = [0, 0.1, 1, 5, 10, 25, 33.3, 50, 75, 90, 95, 99, 99.9, 100];

/** The reference: sort every finite value and read type-7 percentiles. */
function sortedPercentiles(values: Float64Array, levels: number[]): number[] {
  const finite = values.filter((v) => Number.isFinite(v)).sort();
  return levels.map((p) => percentileOfSorted(finite, p));
}

describe('exact percentiles without a full sort', () => {
  const samples: [string, () => Float64Array][] = [
    [
      'normal-like',
      () =>
        Float64Array.from(
          { length: 200_000 },
          (_, i) => ((Math.sin(i * 12.9898) * 43758.5453) % 1) + Math.cos(i * 78.233),
        ),
    ],
    [
      'heavy-tailed (most values crowd one bin)',
      () => Float64Array.from({ length: 120_000 }, (_, i) => Math.exp(30 * Math.abs(Math.sin(i * 12.9898)) ** 8)),
    ],
    ['discrete with long ties', () => Float64Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 5)],
    [
      'with NaN and infinities',
      () =>
        Float64Array.from({ length: 80_000 }, (_, i) =>
          i % 997 === 0
            ? Number.NaN
            : i % 1999 === 0
              ? Number.POSITIVE_INFINITY
              : i % 2003 === 0
                ? Number.NEGATIVE_INFINITY
                : Math.tan(i),
        ),
    ],
    ['one value', () => new Float64Array(60_000).fill(3.5)],
  ];

  it.each(samples)('%s: the same values a full sort gives', (_name, make) => {
    const values = make();
    expect(percentilesOf(values, LEVELS)).toEqual(sortedPercentiles(values, LEVELS));
  });

  it('random samples of any size and shape agree with a sort', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 120_000 }), fc.integer(), fc.constantFrom(1, 3, 40), (n, seed, power) => {
        const values = Float64Array.from(
          { length: n },
          (_, i) => Math.sign(Math.sin(i + seed)) * Math.abs(Math.sin((i + 1) * ((seed % 1000) + 1.5))) ** power * 1e3,
        );
        expect(percentilesOf(values, LEVELS)).toEqual(sortedPercentiles(values, LEVELS));
      }),
      { numRuns: 40 },
    );
  });

  it('discrete samples (few values, ties, -0 beside +0, NaN) agree with a sort, rank for rank', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 50_000, max: 150_000 }),
        fc.array(
          fc.oneof(
            fc.constantFrom(0, -0, 1, -1, 1e-300, 2.5, 1e6, Number.NaN),
            fc.double({ noNaN: true, noDefaultInfinity: true }),
          ),
          { minLength: 1, maxLength: 12 },
        ),
        fc.integer(),
        (n, distinct, seed) => {
          // Skewed draws from the few values, so some hold most of the sample.
          const values = Float64Array.from(
            { length: n },
            (_, i) => distinct[Math.floor(distinct.length * Math.abs(Math.sin((i + 1) * ((seed % 997) + 0.5))) ** 3)]!,
          );
          const m = momentsOf(values);
          if (m.n === 0 || m.max === m.min) return;
          const ranks = statisticsRanks(m.n);
          const fast = valuesAtRanks(values, m.n, m, ranks);
          const sorted = sortedRanks(values, ranks);
          for (const r of ranks)
            expect(Object.is(fast.get(r), sorted.get(r)), `rank ${r}: ${fast.get(r)} against ${sorted.get(r)}`).toBe(
              true,
            );
        },
      ),
      { numRuns: 30 },
    );
  });

  it("a count's crowded wanted bins are all of a single value: nothing to collect, nothing to sort", () => {
    const values = Float64Array.from({ length: 100_000 }, (_, i) => Math.floor(6 * Math.abs(Math.sin(i * 0.7)) ** 2));
    const m = momentsOf(values);
    const ranks = statisticsRanks(m.n);
    const counts = countBins(values, m);
    expect(wantedBinsIfFew(counts, ranks, m.n)).toBeNull();
    const single = singleValueFineBins(values, m);
    const wanted = wantedBinsIfFew(counts, ranks, m.n, single);
    expect(wanted).not.toBeNull();
    expect(toCollect(wanted!, single).every((flag) => flag === 0)).toBe(true);
    expect(crowdedRanks(values, m.n, m, counts, ranks)).toEqual(sortedRanks(values, ranks));
  });

  it('finds the bins of a single value, telling -0 from +0', () => {
    const values = Float64Array.from([5, 5, 5, -0, -0, 0, 7, 7.5, 10, -0, Number.NaN]);
    const plan = { min: -0, max: 10 };
    const single = singleValueFineBins(values, plan);
    const at = (v: number) =>
      single[Math.min(Math.floor((v - plan.min) * (FINE_BINS / (plan.max - plan.min))), FINE_BINS - 1)]!;
    expect(at(5)).toBe(5);
    expect(at(10)).toBe(10);
    expect(at(0)).toBeNaN(); // -0 and +0 together
    expect(Object.is(singleValueFineBins(Float64Array.from([-0, -0, 3]), { min: -0, max: 3 })[0], -0)).toBe(true);
    expect(single.filter((v) => !Number.isNaN(v)).length).toBe(4); // 5, 7, 7.5, 10
    // A sample of -0s, +0s and ones: the sort's -0s first, then the +0s, rank for rank.
    const signed = Float64Array.from({ length: 60_000 }, (_, i) => (i % 3 === 0 ? -0 : i % 3 === 1 ? 0 : 1));
    const ranks = statisticsRanks(60_000);
    const fast = valuesAtRanks(signed, 60_000, { min: -0, max: 1 }, ranks);
    const sorted = sortedRanks(signed, ranks);
    expect(ranks.filter((r) => !Object.is(fast.get(r), sorted.get(r)))).toEqual([]);
    expect(ranks.some((r) => Object.is(sorted.get(r), -0)) && ranks.some((r) => Object.is(sorted.get(r), 0))).toBe(
      true,
    );
  });

  it('summarize counts every finite value into the histogram and reads the CDF at whole percentiles', () => {
    const values = Float64Array.from({ length: 100_000 }, (_, i) => Math.sin(i) * 10);
    const s = summarize(values);
    expect(s.histogram.counts.reduce((a, b) => a + b, 0)).toBe(100_000);
    const ref = sortedPercentiles(
      values,
      Array.from({ length: 101 }, (_, p) => p),
    );
    expect(s.cdf.map((c) => c.x)).toEqual(ref);
    expect(momentsOf(values)).toMatchObject({ n: 100_000, min: s.min, max: s.max });
  });
});
