import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { momentsOf } from '../../../common/engine/moments';
import { DEFAULT_CHUNK_ITERATIONS, statisticsChunkIterations } from '../../../renderer/engine/webgpu/simulation/chunking';
import { FINE_BINS } from '../../../common/engine/order-statistics';
import { binsWithin, centralMoments, fineBinsFor, MAX_GPU_BINS, orderKey, planCollection, ulpShift } from '../../../renderer/engine/webgpu/simulation/stat-plan';

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
    for (const key of ['m2', 'm3', 'm4'] as const) expect(Math.abs(central[key] - exact[key]), key).toBeLessThanOrEqual(1e-9 * scale[key]);
    expect(central).toMatchObject({ n: exact.n, nonFinite: 3, min: exact.min, max: exact.max });
    expect(centralMoments(0, 0, new Float64Array(4), Number.NaN, Number.NaN, 5)).toMatchObject({ n: 0, nonFinite: 5, mean: Number.NaN });
  });

  it('collects each output by the binning that holds fewer values in the bins its ranks fall in', () => {
    const bins = 100;
    // Per output: 100 linear counts, then 100 ulp counts (10,000 values each way).
    const crowded = Array.from({ length: bins }, (_, b) => (b < 10 ? 1_000 : 0));
    const even = new Array<number>(bins).fill(100);
    const fine = Uint32Array.from([...crowded, ...even, ...even, ...crowded, ...even, ...even]);
    const ranks = [0, 5_000, 9_999];
    const plan = planCollection(fine, bins, [ranks, ranks, ranks], [10_000, 10_000, 10_000], ['binned', 'binned', 'equal']);
    // Output 0: its linear wanted bins hold 3,000 of 10,000 (over a quarter): the ulp ones, 300.
    expect(plan.outputs[0]).toMatchObject({ kind: 'collect', mode: 1, offset: 0, capacity: 300 });
    // Output 1: the linear ones hold 300, the ulp ones 3,000.
    expect(plan.outputs[1]).toMatchObject({ kind: 'collect', mode: 0, offset: 300, capacity: 300 });
    expect(plan.outputs[2]).toBeNull();
    expect(plan.slots).toBe(600);
    expect([...plan.wanted.subarray(0, bins)].flatMap((w, b) => (w ? [b] : []))).toEqual([0, 50, 99]);
    expect([...plan.wanted.subarray(bins, 2 * bins)].flatMap((w, b) => (w ? [b] : []))).toEqual([0, 50, 99]);
    // Crowded both ways, or not binnable at all: that output's every value is read back, the others still collected.
    const mixed = planCollection(Uint32Array.from([...crowded, ...crowded, ...even, ...even, ...even, ...even]), bins, [ranks, ranks, ranks], [10_000, 10_000, 10_000], ['binned', 'binned', 'unbinnable']);
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
