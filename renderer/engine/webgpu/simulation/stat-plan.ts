/**
 * The host's half of stat-plan.wgsl: how many fine bins a run uses, the order-preserving key of
 * an f32 and the shift of the ulp bins (both must match the WGSL exactly), which bins pass three
 * collects, and the central moments from the power sums the bins pass returns.
 */
import type { Moments } from '../../../../common/engine/moments';
import { countDistinct, FINE_BINS, wantedBinsIfFew, type BinPlan } from '../../../../common/engine/order-statistics';
import { HISTOGRAM_BINS } from '../../../../common/engine/statistics';

/** The GPU's most fine bins per output and kind: 1,048,600 (8 MiB of counts per output). */
export const MAX_GPU_BINS = HISTOGRAM_BINS * 20_972;

/**
 * Fine bins for a run of n iterations: about n / 500 (the collected values, which the host reads
 * back and sorts, then stay near 400 per wanted bin), at least FINE_BINS, at most MAX_GPU_BINS,
 * and a multiple of the histogram's bins so the histogram comes from the same counts.
 */
export function fineBinsFor(n: number): number {
  const wanted = Math.ceil(n / 500 / HISTOGRAM_BINS) * HISTOGRAM_BINS;
  return Math.min(MAX_GPU_BINS, Math.max(FINE_BINS, wanted));
}

/**
 * `bins`, or fewer (still a multiple of the histogram's) where one buffer of `storageBytes` cannot
 * hold both kinds of counts for every output; 0 when not even the histogram's bins fit.
 */
export function binsWithin(bins: number, storageBytes: number, outputs: number): number {
  const fit = Math.floor(storageBytes / (8 * outputs) / HISTOGRAM_BINS) * HISTOGRAM_BINS;
  return Math.min(bins, fit);
}

/** An f32's order-preserving 32-bit key, as stat_key in stat-plan.wgsl computes it. */
export function orderKey(value: number): number {
  const bits = new Uint32Array(Float32Array.of(value).buffer)[0]!;
  return (bits & 0x80000000 ? ~bits : bits | 0x80000000) >>> 0;
}

/** The f32 whose order key this is: orderKey's inverse. */
export function keyValue(key: number): number {
  const bits = key & 0x80000000 ? key & 0x7fffffff : ~key >>> 0;
  return new Float32Array(Uint32Array.of(bits).buffer)[0]!;
}

/**
 * Per bin, its value where every value in it is the same one, else NaN: from the range pass
 * (stat-range.wgsl), which leaves for each binning, per bin, the largest inverted key (so the
 * smallest key) then the largest key, `bins` of each.
 */
export function singleValueBins(range: Uint32Array, counts: Uint32Array): Float64Array {
  const bins = counts.length;
  const single = new Float64Array(bins).fill(Number.NaN);
  for (let b = 0; b < bins; b++) {
    const lowest = ~range[b]! >>> 0;
    if (counts[b]! > 0 && lowest === range[bins + b]) single[b] = keyValue(lowest);
  }
  return single;
}

/**
 * countBins' counts for the host's histogram where every value of an output lies in a bin of a
 * single value, so the GPU's f32 binning plays no part (a discrete output); null otherwise.
 */
export function histogramCountsOfSingles(single: Float64Array, counts: Uint32Array, plan: BinPlan): Uint32Array | null {
  const values: number[] = [];
  const occurrences: number[] = [];
  for (let b = 0; b < counts.length; b++) {
    if (counts[b] === 0) continue;
    if (Number.isNaN(single[b]!)) return null;
    values.push(single[b]!);
    occurrences.push(counts[b]!);
  }
  return countDistinct(Float64Array.from(values), Float64Array.from(occurrences), plan);
}

/**
 * The ulp bins of an output from min to max: the key of the first, and the shift. A zero min
 * counts as -0 and a zero max as +0: zeros compare equal, so min and max may come back as either
 * (a GPU's min() picks freely), and a -0 below key_lo would wrap to the last bin.
 */
export function ulpBinning(min: number, max: number, bins: number): { keyLo: number; shift: number } {
  const [low, high] = [min === 0 ? -0 : min, max === 0 ? 0 : max];
  return { keyLo: orderKey(low), shift: ulpShift(low, high, bins) };
}

/** The smallest right shift that puts the keys from min to max in `bins` ulp bins. */
export function ulpShift(min: number, max: number, bins: number): number {
  const span = orderKey(max) - orderKey(min);
  let shift = 0;
  while (Math.floor(span / 2 ** shift) >= bins) shift++;
  return shift;
}

/** Central moments about the exact mean from power sums about an approximate one (Σd, Σd², Σd³, Σd⁴ with d = x − a). */
export function centralMoments(
  n: number,
  approximateMean: number,
  s: Float64Array,
  min: number,
  max: number,
  nonFinite: number,
): Moments {
  if (n === 0) return { n, nonFinite, mean: Number.NaN, m2: 0, m3: 0, m4: 0, min: Number.NaN, max: Number.NaN };
  const [s1, s2, s3, s4] = [s[0]!, s[1]!, s[2]!, s[3]!];
  const delta = s1 / n;
  const m2 = Math.max(0, s2 - n * delta * delta);
  const m3 = s3 - 3 * delta * s2 + 2 * n * delta ** 3;
  const m4 = Math.max(0, s4 - 4 * delta * s3 + 6 * delta * delta * s2 - 3 * n * delta ** 4);
  return { n, nonFinite, mean: approximateMean + delta, m2, m3, m4, min, max };
}

/** How pass two found an output: all equal (or no finite value), binned, or not binnable in f32. */
export type OutputBinning = 'equal' | 'binned' | 'unbinnable';

/** How pass three gets one output's ranks: the values in its wanted bins, or every value. */
export type OutputCollection =
  | {
      kind: 'collect';
      /** 0: the linear bins, 1: the ulp bins. */
      mode: 0 | 1;
      /** That binning's counts, and which of its bins hold a wanted rank. */
      counts: Uint32Array;
      flags: Uint8Array;
      /** Per bin of that binning, its value where it holds only one (NaN otherwise): those are not collected. */
      single: Float64Array | undefined;
      /** First slot and slots of the output's values in the collected buffer. */
      offset: number;
      capacity: number;
    }
  /** Its wanted bins hold too much of it either way (a discrete output), or it could not be binned: read back and summarized on the host. */
  | { kind: 'read-back' };

export interface CollectionPlan {
  /** Per output; null for one whose finite values are all equal (or none). */
  outputs: (OutputCollection | null)[];
  /** The flags of the bins pass three collects from, `bins` per output, as the collect kernel reads them. */
  wanted: Uint32Array;
  slots: number;
}

/** Per bin of the linear then the ulp binning: its single value, or NaN (singleValueBins). */
export type SingleValueBins = readonly [Float64Array, Float64Array];

/**
 * Which bins of each output hold its wanted ranks, by whichever binning holds fewer values there.
 * `fine` holds, per output, its `bins` linear counts then its `bins` ulp counts. Where the range
 * pass found which bins hold a single value (`single`, per output), those bins are known without
 * collecting and do not count. An output for which the wanted bins still hold over a quarter of
 * its values either way (common/engine's wantedBinsIfFew), or which could not be binned, is read
 * back whole.
 */
export function planCollection(
  fine: Uint32Array,
  bins: number,
  ranks: readonly (readonly number[])[],
  finite: readonly number[],
  binning: readonly OutputBinning[],
  single: readonly (SingleValueBins | undefined)[] = [],
): CollectionPlan {
  const wanted = new Uint32Array(bins * ranks.length);
  const outputs: (OutputCollection | null)[] = [];
  let slots = 0;
  for (let o = 0; o < ranks.length; o++) {
    if (binning[o] !== 'binned') {
      outputs.push(binning[o] === 'equal' ? null : { kind: 'read-back' });
      continue;
    }
    const choices = ([0, 1] as const).flatMap((mode) => {
      const counts = fine.subarray((2 * o + mode) * bins, (2 * o + mode + 1) * bins);
      const singles = single[o]?.[mode];
      const flags = wantedBinsIfFew(counts, ranks[o]!, finite[o]!, singles);
      if (!flags) return [];
      const collects = Uint8Array.from(flags, (f, b) => (f && !(singles && !Number.isNaN(singles[b]!)) ? 1 : 0));
      let capacity = 0;
      for (let b = 0; b < bins; b++) if (collects[b]) capacity += counts[b]!;
      return [{ kind: 'collect' as const, mode, counts, flags, single: singles, offset: slots, capacity, collects }];
    });
    if (choices.length === 0) {
      outputs.push({ kind: 'read-back' });
      continue;
    }
    const { collects, ...chosen } = choices.reduce((a, b) => (b.capacity < a.capacity ? b : a));
    wanted.set(collects, o * bins);
    outputs.push(chosen);
    slots += chosen.capacity;
  }
  return { outputs, wanted, slots };
}

/** Where a run's time went, for the benchmark: milliseconds of each pass and of the host's share, and the values collected. */
export interface GpuStatisticsTiming {
  momentsMs: number;
  binsMs: number;
  collectMs: number;
  /** Reading the bins, choosing the wanted ones, sorting the collected values, picking the ranks. */
  hostMs: number;
  /** The range pass (the GPU's part and reading its bounds), run only for outputs whose wanted bins were crowded; 0 when not run. */
  rangeMs: number;
  collected: number;
  /** Outputs whose crowded wanted bins each held a single value (discrete outputs): known without collecting. */
  singleValued: string[];
  /** Outputs whose every value was read back (wanted bins crowded with several values, or a range beyond f32). */
  readBack: string[];
}
