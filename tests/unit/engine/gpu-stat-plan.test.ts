import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { momentsOf } from '../../../common/engine/moments';
import {
  DEFAULT_CHUNK_ITERATIONS,
  statisticsChunkIterations,
} from '../../../renderer/engine/webgpu/simulation/chunking';
import { FINE_BINS, pickRanks } from '../../../common/engine/order-statistics';
import { statisticsFrom, statisticsRanks, summarize } from '../../../common/engine/statistics';
import {
  binsWithin,
  centralMoments,
  fineBinsFor,
  histogramCountsOfSingles,
  keyValue,
  MAX_GPU_BINS,
  orderKey,
  planCollection,
  singleValueBins,
  ulpBinning,
  ulpShift,
  type SingleValueBins,
} from '../../../renderer/engine/webgpu/simulation/stat-plan';

const RUNS = Number(process.env.FC_RUNS ?? 2_000);
const wgsl = readFileSync(join(__dirname, '../../../renderer/engine/webgpu/simulation/stat-plan.wgsl'), 'utf8');
const f32 = fc.float({ noNaN: true, noDefaultInfinity: true });

describe('the host half of the GPU statistics plan', () => {
  it('bins a run as finely as its length asks, in a multiple of the 50 histogram bins', () => {
    expect(wgsl).toContain('bins: u32,');
    expect(fineBinsFor(100_000)).toBe(FINE_BINS);
    expect(fineBinsFor(100_000_000)).toBe(200_000);
    expect(fineBinsFor(10_000_000_000)).toBe(MAX_GPU_BINS);
    for (const n of [1, 32_775_001, 123_456_789, 4e9]) expect(fineBinsFor(n) % 50).toBe(0);
  });

  it('uses fewer bins where the device cannot hold both kinds of counts for every output in one buffer', () => {
    const mib128 = 128 * 1024 * 1024;
    expect(binsWithin(MAX_GPU_BINS, mib128, 1)).toBe(MAX_GPU_BINS);
    // 20 outputs × 2 kinds × 4 bytes into 128 MiB: 838,850 bins each.
    expect(binsWithin(MAX_GPU_BINS, mib128, 20)).toBe(838_850);
    expect(binsWithin(MAX_GPU_BINS, mib128, 20) * 8 * 20).toBeLessThanOrEqual(mib128);
    expect(binsWithin(FINE_BINS, 1_000, 5)).toBe(0);
  });

  it('keys f32 values in their numeric order, -0 just below +0', () => {
    fc.assert(
      fc.property(f32, f32, (a, b) => {
        if (a < b) expect(orderKey(a)).toBeLessThan(orderKey(b));
        else if (a > b) expect(orderKey(a)).toBeGreaterThan(orderKey(b));
      }),
      { numRuns: RUNS },
    );
    expect(orderKey(-0) + 1).toBe(orderKey(0));
    expect(orderKey(-3.4e38)).toBeGreaterThan(orderKey(Number.NEGATIVE_INFINITY));
    expect(orderKey(1)).toBe(0xbf800000);
  });

  it('turns a key back into its f32, for every f32', () => {
    fc.assert(
      fc.property(fc.float(), (x) => {
        expect(
          Object.is(keyValue(orderKey(x)), Math.fround(x)) || (Number.isNaN(x) && Number.isNaN(keyValue(orderKey(x)))),
        ).toBe(true);
      }),
      { numRuns: RUNS },
    );
    expect(Object.is(keyValue(orderKey(-0)), -0)).toBe(true);
    expect(keyValue(orderKey(Number.POSITIVE_INFINITY))).toBe(Number.POSITIVE_INFINITY);
  });

  it('shifts the ulp bins just enough that max lands in the last bin or before', () => {
    fc.assert(
      fc.property(f32, f32, (a, b) => {
        const [min, max] = a <= b ? [a, b] : [b, a];
        for (const bins of [FINE_BINS, MAX_GPU_BINS]) {
          const shift = ulpShift(min, max, bins);
          const span = orderKey(max) - orderKey(min);
          expect(Math.floor(span / 2 ** shift)).toBeLessThan(bins);
          if (shift > 0) expect(Math.floor(span / 2 ** (shift - 1))).toBeGreaterThanOrEqual(bins);
        }
      }),
      { numRuns: RUNS },
    );
    // 100 to 101 spans 131,072 f32 values: two per bin.
    expect(ulpShift(100, 101, FINE_BINS)).toBe(1);
    expect(ulpShift(100, 101, MAX_GPU_BINS)).toBe(0);
  });

  it('gives the central moments of the values from power sums about a mean that is slightly off', () => {
    const values = Float64Array.from({ length: 10_000 }, (_, i) => 1_000 + 50 * Math.sin(i * 1.7) ** 3 + (i % 7));
    const exact = momentsOf(values);
    const approximate = exact.mean + 0.37;
    const deviations = Array.from(values, (v) => v - approximate);
    const sums = Float64Array.from([1, 2, 3, 4], (power) => deviations.reduce((sum, d) => sum + d ** power, 0));
    const central = centralMoments(exact.n, approximate, sums, exact.min, exact.max, 3);
    expect(central.mean).toBeCloseTo(exact.mean, 9);
    // m3 of a nearly symmetric sample is a small difference: its error is measured against n·sd³.
    const sd = Math.sqrt(exact.m2 / exact.n);
    const scale = { m2: exact.m2, m3: exact.n * sd ** 3, m4: exact.m4 };
    for (const key of ['m2', 'm3', 'm4'] as const)
      expect(Math.abs(central[key] - exact[key]), key).toBeLessThanOrEqual(1e-9 * scale[key]);
    expect(central).toMatchObject({ n: exact.n, nonFinite: 3, min: exact.min, max: exact.max });
    expect(centralMoments(0, 0, new Float64Array(4), Number.NaN, Number.NaN, 5)).toMatchObject({
      n: 0,
      nonFinite: 5,
      mean: Number.NaN,
    });
  });

  it('collects each output by the binning that holds fewer values in the bins its ranks fall in', () => {
    const bins = 100;
    // Per output: 100 linear counts, then 100 ulp counts (10,000 values each way).
    const crowded = Array.from({ length: bins }, (_, b) => (b < 10 ? 1_000 : 0));
    const even = new Array<number>(bins).fill(100);
    const fine = Uint32Array.from([...crowded, ...even, ...even, ...crowded, ...even, ...even]);
    const ranks = [0, 5_000, 9_999];
    const plan = planCollection(
      fine,
      bins,
      [ranks, ranks, ranks],
      [10_000, 10_000, 10_000],
      ['binned', 'binned', 'equal'],
    );
    // Output 0: its linear wanted bins hold 3,000 of 10,000 (over a quarter): the ulp ones, 300.
    expect(plan.outputs[0]).toMatchObject({ kind: 'collect', mode: 1, offset: 0, capacity: 300 });
    // Output 1: the linear ones hold 300, the ulp ones 3,000.
    expect(plan.outputs[1]).toMatchObject({ kind: 'collect', mode: 0, offset: 300, capacity: 300 });
    expect(plan.outputs[2]).toBeNull();
    expect(plan.slots).toBe(600);
    expect([...plan.wanted.subarray(0, bins)].flatMap((w, b) => (w ? [b] : []))).toEqual([0, 50, 99]);
    expect([...plan.wanted.subarray(bins, 2 * bins)].flatMap((w, b) => (w ? [b] : []))).toEqual([0, 50, 99]);
    // Crowded both ways, or not binnable at all: that output's every value is read back, the others still collected.
    const mixed = planCollection(
      Uint32Array.from([...crowded, ...crowded, ...even, ...even, ...even, ...even]),
      bins,
      [ranks, ranks, ranks],
      [10_000, 10_000, 10_000],
      ['binned', 'binned', 'unbinnable'],
    );
    expect(mixed.outputs.map((o) => o?.kind)).toEqual(['read-back', 'collect', 'read-back']);
    expect(mixed.slots).toBe(300);
    expect(mixed.wanted.subarray(0, bins).every((w) => w === 0)).toBe(true);
  });

  it('dispatches long runs with statistics on the GPU in bigger chunks, still 64 or more per pass', () => {
    expect(statisticsChunkIterations(1_000)).toBe(DEFAULT_CHUNK_ITERATIONS);
    expect(statisticsChunkIterations(100_000_000)).toBe(DEFAULT_CHUNK_ITERATIONS);
    expect(statisticsChunkIterations(1_000_000_000)).toBe(2 ** 23);
    expect(statisticsChunkIterations(1e10)).toBe(2 ** 24);
    for (const n of [2e8, 1e9, 5e9]) expect(n / statisticsChunkIterations(n)).toBeGreaterThanOrEqual(64);
  });
});

/**
 * The three passes, and the range pass between, done on the host for f32 values exactly as the
 * WGSL does them: linear and ulp bin counts, the crowded outputs' per-bin key bounds, the plan,
 * the collected values, the picked ranks and the report.
 */
function gpuPassesOnHost(values: Float32Array, bins = FINE_BINS, reported?: { min: number; max: number }) {
  const finite = values.filter((v) => Number.isFinite(v));
  const n = finite.length;
  // What the moments pass reports: min and max, either zero where zeros are (a GPU's min() picks freely).
  const { min, max } =
    reported ??
    finite.reduce(({ min: lo, max: hi }, x) => ({ min: Math.min(lo, x), max: Math.max(hi, x) }), {
      min: Infinity,
      max: -Infinity,
    });
  const scale = Math.fround(bins / Math.fround(max - min));
  const { keyLo, shift } = ulpBinning(min, max, bins);
  const linearBin = (x: number) => Math.min(Math.floor(Math.fround(Math.fround(x - min) * scale)), bins - 1);
  const ulpBin = (x: number) => Math.min(Math.floor((orderKey(x) - keyLo) / 2 ** shift), bins - 1);
  const fine = new Uint32Array(2 * bins);
  for (const x of finite) {
    fine[linearBin(x)]!++;
    fine[bins + ulpBin(x)]!++;
  }
  const ranks = [statisticsRanks(n)];
  const first = planCollection(fine, bins, ranks, [n], ['binned']);
  let single: SingleValueBins | undefined;
  if (first.outputs[0]?.kind === 'read-back') {
    // stat-range.wgsl: the largest inverted key, then the largest key, of each bin, both ways.
    const range = new Uint32Array(4 * bins);
    for (const x of finite) {
      for (const at of [linearBin(x), 2 * bins + ulpBin(x)]) {
        range[at] = Math.max(range[at]!, ~orderKey(x) >>> 0);
        range[at + bins] = Math.max(range[at + bins]!, orderKey(x));
      }
    }
    single = [
      singleValueBins(range.subarray(0, 2 * bins), fine.subarray(0, bins)),
      singleValueBins(range.subarray(2 * bins), fine.subarray(bins)),
    ];
  }
  const plan = planCollection(fine, bins, ranks, [n], ['binned'], [single]);
  const chosen = plan.outputs[0];
  if (chosen?.kind !== 'collect') return { plan, statistics: null, single };
  const binOf = chosen.mode === 0 ? linearBin : ulpBin;
  const collected = Float64Array.from(finite.filter((x) => plan.wanted[binOf(x)] === 1)).sort();
  expect(collected.length).toBe(chosen.capacity);
  const moments = { ...centralMomentsOf(finite), nonFinite: values.length - n };
  const histogram =
    (chosen.single && histogramCountsOfSingles(chosen.single, chosen.counts, moments)) || fine.subarray(0, bins);
  return {
    plan,
    single,
    statistics: statisticsFrom(
      moments,
      histogram,
      pickRanks(chosen.counts, chosen.flags, collected, ranks[0]!, chosen.single),
    ),
  };
}

const centralMomentsOf = (finite: Float32Array) => momentsOf(Float64Array.from(finite));

describe('discrete outputs on the GPU: bins that hold a single value', () => {
  it("knows a discrete output's percentiles, CDF and histogram from its bins alone, exactly as summarize() of its values", () => {
    // A Poisson-like count: its 13 values fill every bin a rank falls in.
    const values = Float32Array.from({ length: 200_000 }, (_, i) =>
      Math.floor(12 * Math.sin(i * 0.37) ** 2 * (i % 3 === 0 ? 1 : 0.4)),
    );
    const run = gpuPassesOnHost(values);
    expect(run.plan.outputs[0]).toMatchObject({ kind: 'collect', capacity: 0 });
    expect(run.plan.slots).toBe(0);
    const host = summarize(Float64Array.from(values));
    expect(run.statistics!.percentiles).toEqual(host.percentiles);
    expect(run.statistics!.cdf).toEqual(host.cdf);
    // Every value lies in a single-value bin: the host's own histogram, to the count.
    expect(run.statistics!.histogram).toEqual(host.histogram);
  });

  it('collects only the continuous part of a zero-inflated output', () => {
    const values = Float32Array.from({ length: 200_000 }, (_, i) => (i % 5 < 3 ? 0 : 100 + 40 * Math.sin(i * 1.3)));
    values[7] = Number.NaN;
    const run = gpuPassesOnHost(values);
    const chosen = run.plan.outputs[0];
    // The zeros (60%) are one linear bin of one value, never collected; the rest's wanted bins
    // are few (the ulp bins spend most of themselves between 0 and the rest: 9% of it there).
    expect(chosen).toMatchObject({ kind: 'collect', mode: 0 });
    if (chosen?.kind !== 'collect') throw new Error('not collected');
    expect(chosen.capacity).toBeGreaterThan(0);
    expect(chosen.capacity).toBeLessThan(0.01 * values.length);
    const host = summarize(Float64Array.from(values));
    expect(run.statistics!.percentiles).toEqual(host.percentiles);
    expect(run.statistics!.cdf).toEqual(host.cdf);
    expect(run.statistics!.nonFinite).toBe(1);
  });

  it('keeps a -0 in order when the moments pass reports +0 as the minimum', () => {
    // Zeros of both signs, then a few values: the ulp bins must start at -0's key.
    const values = Float32Array.from([...new Array<number>(8).fill(0), -0, 1, 2, ...new Array<number>(33).fill(3)]);
    const many = Float32Array.from({ length: 50_000 }, (_, i) => values[i % values.length]!);
    const run = gpuPassesOnHost(many, FINE_BINS, { min: 0, max: 3 });
    expect(run.statistics).not.toBeNull();
    const host = summarize(Float64Array.from(many));
    expect(run.statistics!.percentiles).toEqual(host.percentiles);
    expect(run.statistics!.cdf).toEqual(host.cdf);
  });

  it('reads back an output whose crowded bins each hold several values', () => {
    // Two values one ulp apart share an ulp bin between 0 and 1e6: neither bin can be known.
    const [a, b] = [Math.fround(1000), Math.fround(1000 + 2 ** -14)];
    const values = Float32Array.from({ length: 100_000 }, (_, i) => (i === 0 ? 0 : i === 1 ? 1e6 : i % 2 ? a : b));
    const run = gpuPassesOnHost(values);
    expect(run.single).toBeDefined();
    expect(run.plan.outputs[0]).toEqual({ kind: 'read-back' });
  });
});
