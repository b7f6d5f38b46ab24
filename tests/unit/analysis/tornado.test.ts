import { describe, expect, it } from 'vitest';
import { binnedStatistics, tornado } from '../../../common/engine/analysis/tornado';
import { expectAllClose, expectClose, references, samples } from './references';

const ref = references.tornado;
const names = ['a', 'b', 'c', 'd'];

describe('tornadoes from one run', () => {
  it('by rank correlation: scipy’s Spearman rho, on the iterations whose output is finite, largest first', () => {
    const t = tornado(samples.inputs, samples.y, 'rank-correlation');
    expect(t.iterations).toBe(ref.iterations);
    expect(t.bars.map((b) => b.input)).toEqual(['a', 'b', 'd', 'c']);
    for (const bar of t.bars) expectClose(bar.value, ref.rankCorrelation[bar.input]!, `rho of ${bar.input}`);
  });

  it('by regression: standardized coefficients on the values, with R², as numpy’s least squares', () => {
    const t = tornado(samples.inputs, samples.y, 'regression');
    for (const bar of t.bars) expectClose(bar.value, ref.src[bar.input]!, `SRC of ${bar.input}`);
    expectClose(t.rSquared, ref.rSquared, 'R²');
  });

  it('by contribution to variance: squared rank correlations as shares that sum to 1 (as @RISK)', () => {
    const t = tornado(samples.inputs, samples.y, 'contribution');
    for (const bar of t.bars) expectClose(bar.value, ref.contribution[bar.input]!, `contribution of ${bar.input}`);
    expectClose(
      t.bars.reduce((s, b) => s + b.value, 0),
      1,
      'sum of contributions',
    );
  });

  it('by change in the output mean over 10 equal-count bins of each input (the spider’s lines too)', () => {
    const b = binnedStatistics(samples.inputs, samples.y, { kind: 'mean' }, 10);
    expect(b.binCenters).toEqual([5, 15, 25, 35, 45, 55, 65, 75, 85, 95]);
    expectClose(b.overall, references.binned.overallMean, 'overall mean');
    for (const name of names) {
      const row = b.inputs.find((r) => r.input === name)!;
      expectAllClose(row.statistic, references.binned.mean[name]!, `bin means of ${name}`);
      expect(row.low).toBe(Math.min(...row.statistic));
      expect(row.high).toBe(Math.max(...row.statistic));
      expect(row.statistic[row.lowBin]).toBe(row.low);
      expect(row.counts.reduce((s, c) => s + c, 0)).toBe(ref.iterations);
    }
    // Widest first: a moves the output mean the most.
    expect(b.inputs[0]!.input).toBe('a');
    const ranges = b.inputs.map((r) => r.high - r.low);
    expect([...ranges].sort((x, y) => y - x)).toEqual(ranges);
  });

  it('by change in the output P90 over the same bins', () => {
    const b = binnedStatistics(samples.inputs, samples.y, { kind: 'percentile', p: 90 }, 10);
    expect(b.label).toBe('P90');
    expectClose(b.overall, references.binned.overallP90, 'overall P90');
    for (const name of names)
      expectAllClose(
        b.inputs.find((r) => r.input === name)!.statistic,
        references.binned.p90[name]!,
        `bin P90s of ${name}`,
      );
  });

  it('refuses a bin count or percentile that means nothing, in plain words', () => {
    expect(() => binnedStatistics(samples.inputs, samples.y, { kind: 'mean' }, 1)).toThrow(
      'the number of bins must be a whole number of at least 2',
    );
    expect(() => binnedStatistics(samples.inputs, samples.y, { kind: 'percentile', p: 120 })).toThrow(
      'the percentile must be between 0 and 100',
    );
  });

  it('shows no bars for an output with no finite value', () => {
    const none = new Float64Array(samples.y.length).fill(Number.NaN);
    expect(tornado(samples.inputs, none, 'rank-correlation').bars).toEqual([]);
    expect(binnedStatistics(samples.inputs, none, { kind: 'mean' }).inputs).toEqual([]);
  });
});
