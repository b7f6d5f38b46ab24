import { describe, expect, it } from 'vitest';
import { convergence } from '../../../common/engine/auto-stop';
import { standardNormalQuantile } from '../../../common/engine/distributions/normal';
import { convergenceTrace, traceCheckpoints } from '../../../common/engine/cpu/convergence-trace';
import { summarize } from '../../../common/engine/statistics';
import { percentileOfSorted } from '../../../common/engine/statistics';
import { roundSizes, worstHalfWidth } from '../../../renderer/engine/auto-stop-rounds';
import { keptIterationsFor, splitSamples } from '../../../renderer/engine/run-samples';
import { resultsForSave, resultsFromSaved } from '../../../common/engine/saved-run-results';

/** n values of normal(100, 10), spread evenly over its quantiles, in a scrambled order. */
const normal = (n: number) =>
  Float64Array.from({ length: n }, (_, i) => 100 + 10 * standardNormalQuantile((((i * 7919) % n) + 0.5) / n));

describe('the samples a run keeps', () => {
  it('keeps at most 1,000,000 iterations and 16 Mi values, whatever the run', () => {
    expect(keptIterationsFor(300_000, 7)).toBe(300_000);
    expect(keptIterationsFor(10_000_000, 7)).toBe(1_000_000);
    expect(keptIterationsFor(10_000_000, 40)).toBe(Math.floor((16 * 1024 * 1024) / 40));
  });

  it('keeps the kept iterations, and gives the summary copies: only the sensitivity’s inputs', async () => {
    const labour = Float64Array.from({ length: 1000 }, (_, i) => i);
    const total = Float64Array.from({ length: 1000 }, (_, i) => 2 * i);
    const { samples, pieces } = await splitSamples(
      { inputs: { labour: [labour] }, outputs: { total: [total] }, statistics: { total: summarize(total) } },
      600,
      200,
    );
    expect(samples!.iterations).toBe(600);
    expect(samples!.outputs.total![599]).toBe(1198);
    // The summary's pieces are copies: their buffers go to a worker, and the samples stay.
    expect(pieces.inputs.labour![0]!.buffer).not.toBe(samples!.inputs.labour!.buffer);
    expect(pieces.outputs.total![0]!.buffer).not.toBe(samples!.outputs.total!.buffer);
    expect(pieces.inputs.labour![0]!.length).toBe(200);
    expect(pieces.outputs.total![0]!.length).toBe(600);
  });
});

describe('the convergence trace', () => {
  it('gives the mean and percentiles of the first n values at each checkpoint, ending with all of them', () => {
    const values = normal(5000);
    expect(traceCheckpoints(5000)).toEqual([100, 142, 201, 285, 404, 572, 809, 1145, 1620, 2292, 3242, 4585, 5000]);
    const trace = convergenceTrace(values);
    const at = trace.n.indexOf(809);
    const first = values.slice(0, 809).sort();
    expect(trace.p50[at]).toBe(percentileOfSorted(first, 50));
    expect(trace.p95[at]).toBe(percentileOfSorted(first, 95));
    expect(trace.mean[at]).toBeCloseTo(first.reduce((a, b) => a + b, 0) / 809, 10);
    const all = summarize(values);
    expect(trace.p5[trace.n.length - 1]).toBe(all.percentiles.p5);
  });
});

describe('auto-stop in rounds', () => {
  it('doubles from 10,000 up to the most asked for', () => {
    expect(roundSizes(100_000)).toEqual([10_000, 20_000, 40_000, 80_000, 100_000]);
    expect(roundSizes(5_000)).toEqual([5_000]);
  });

  it('judges convergence from a run’s statistics as common/engine/auto-stop.ts does from its values', () => {
    for (const n of [10_000, 100_000, 400_000]) {
      const values = normal(n);
      const fromValues = convergence(values, 0.01).worst;
      const fromStatistics = worstHalfWidth(summarize(values));
      // Within a tenth of the figure from every value: the interval ends are read from the 101-point CDF.
      expect(Math.abs(fromStatistics - fromValues) / fromValues).toBeLessThan(0.1);
    }
  });
});

describe('saved results', () => {
  it('carry an undefined statistic as null and give it back as NaN', () => {
    const summary = { outputs: { x: summarize(new Float64Array([Number.NaN, Number.NaN])) }, sensitivity: {} };
    const saved = resultsForSave(summary, {});
    expect(saved.outputs.x!.mean).toBeNull();
    expect(JSON.parse(JSON.stringify(saved))).toEqual(saved);
    expect(Number.isNaN(resultsFromSaved(saved).summary.outputs.x!.mean)).toBe(true);
  });
});
