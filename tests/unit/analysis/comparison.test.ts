import { describe, expect, it } from 'vitest';
import { compareSeries } from '../../../common/engine/analysis/comparison';
import { expectAllClose, references, samples } from './references';

const ref = references.comparison;

describe('run comparison', () => {
  const comparison = compareSeries(
    [
      { label: 'run 1', values: samples.y },
      { label: 'run 2', values: samples.y2 },
    ],
    { percentiles: ref.percentiles, thresholds: ref.thresholds, bins: ref.bins, curvePoints: ref.curvePoints },
  );
  const row = (statistic: string) => comparison.rows.find((r) => r.statistic === statistic)!;

  it('gives each series its statistics as numpy computes them, non-finite values left out', () => {
    expect(comparison.counts).toEqual([1979, 2000]);
    expectAllClose(row('mean').values, ref.mean, 'mean');
    expectAllClose(row('sd').values, ref.sd, 'sd (n − 1)');
    expectAllClose(row('min').values, ref.min, 'min');
    expectAllClose(row('max').values, ref.max, 'max');
    ref.percentiles.forEach((p, i) => expectAllClose(row(`P${p}`).values, ref.percentileValues[i]!, `P${p}`));
    ref.thresholds.forEach((x, i) => expectAllClose(row(`P(> ${x})`).values, ref.exceedance[i]!, `P(> ${x})`));
  });

  it('states each difference from the first series, which is the baseline', () => {
    for (const r of comparison.rows) {
      expect(r.differences[0]).toBe(0);
      expect(r.differences[1]).toBeCloseTo(r.values[1]! - r.values[0]!, 12);
    }
    expect(row('mean').differences[1]).toBeCloseTo(ref.mean[1]! - ref.mean[0]!, 9);
  });

  it('puts both histograms on common bins and both S-curves on one grid that ends at 1', () => {
    expectAllClose(comparison.histogram.edges, ref.edges, 'bin edges');
    comparison.histogram.shares.forEach((shares, i) => expectAllClose(shares, ref.shares[i]!, `shares of ${i}`));
    expectAllClose(comparison.sCurves.x, ref.grid, 'S-curve grid');
    comparison.sCurves.cumulative.forEach((c, i) => {
      expectAllClose(c, ref.cumulative[i]!, `S-curve ${i}`);
      expect(c[c.length - 1]).toBe(1);
    });
  });

  it('refuses an empty comparison in plain words, and shows a series with no finite value as undefined', () => {
    expect(() => compareSeries([])).toThrow('nothing to compare: choose at least one run or output');
    const none = compareSeries([
      { label: 'ok', values: Float64Array.from([1, 2, 3]) },
      { label: 'none', values: Float64Array.from([Number.NaN, Number.NaN]) },
    ]);
    expect(none.rows.find((r) => r.statistic === 'mean')!.values[1]).toBeNaN();
    expect(none.histogram.shares[1]!.every((s) => s === 0)).toBe(true);
  });
});
