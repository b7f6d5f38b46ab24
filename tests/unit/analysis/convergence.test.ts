import { describe, expect, it } from 'vitest';
import { convergence, logCheckpoints } from '../../../common/engine/analysis/convergence';
import { percentileOfSorted } from '../../../common/engine/statistics';
import { fillUniforms } from '../../../common/engine/rng';
import { expectAllClose, references, samples } from './references';

const ref = references.convergence;

describe('convergence', () => {
  const c = convergence(samples.y, ref.percentiles, 100);

  it('checks at log-spaced iteration counts up to all of them', () => {
    expect(c.checkpoints).toEqual(ref.checkpoints);
    expect(c.checkpoints[c.checkpoints.length - 1]).toBe(2000);
    expect(logCheckpoints(5)).toEqual([1, 2, 3, 4, 5]);
    expect(logCheckpoints(0)).toEqual([]);
  });

  it('gives the mean with ±1.96·s/√n, as numpy', () => {
    const mean = c.series.find((s) => s.label === 'mean')!;
    expectAllClose(mean.value, ref.mean, 'mean');
    expectAllClose(mean.low, ref.meanLow, 'mean low');
    expectAllClose(mean.high, ref.meanHigh, 'mean high');
  });

  it('gives each percentile with its distribution-free order-statistic interval, as numpy', () => {
    for (const p of ref.percentiles) {
      const series = c.series.find((s) => s.label === `P${p}`)!;
      expectAllClose(series.value, ref[`P${p}`]!.value, `P${p}`);
      expectAllClose(series.low, ref[`P${p}`]!.low, `P${p} low`);
      expectAllClose(series.high, ref[`P${p}`]!.high, `P${p} high`);
      series.value.forEach((v, i) => {
        expect(series.low[i]).toBeLessThanOrEqual(v);
        expect(series.high[i]).toBeGreaterThanOrEqual(v);
      });
    }
  });

  it('is exact on a long run too, where percentiles come from bins rather than a sort', () => {
    const values = fillUniforms(7, 0, 0, new Float64Array(120_000)).map((u) => Math.log(u / (1 - u)));
    const long = convergence(values, [90], 20);
    const p90 = long.series.find((s) => s.label === 'P90')!;
    long.checkpoints.forEach((k, i) => {
      const sorted = values.slice(0, k).sort();
      expect(p90.value[i]).toBe(percentileOfSorted(sorted, 90));
    });
  });
});
