/**
 * Exact order statistics without sorting: a counting pass puts every finite value in one of
 * FINE_BINS equal-width bins between min and max (bin index is monotone in the value, so the
 * k-th smallest value lies in the bin where the running count passes k); a second pass keeps
 * only the values in the few bins that hold a wanted rank, and only those are sorted. Two cheap
 * passes instead of an O(n log n) sort of ten million values. A sample whose wanted bins hold
 * too much of it (a heavy tail squeezing everything into a few bins) is simply sorted.
 */
/** 50 histogram bins of 1,311 fine bins each, so the histogram comes from the same counts. */
export const FINE_BINS = 65_550;

export interface BinPlan {
  min: number;
  max: number;
}

const binScale = (plan: BinPlan) => FINE_BINS / (plan.max - plan.min);

/** Counts of the finite values of values[start, end) in each fine bin of the plan. */
export function countBins(
  values: Float64Array,
  plan: BinPlan,
  counts = new Uint32Array(FINE_BINS),
  start = 0,
  end = values.length,
): Uint32Array {
  const { min } = plan;
  const scale = binScale(plan);
  const last = FINE_BINS - 1;
  for (let i = start; i < end; i++) {
    const v = values[i]!;
    if (v - v !== 0) continue;
    const b = Math.floor((v - min) * scale);
    counts[b < last ? b : last]!++;
  }
  return counts;
}

/**
 * The counts countBins gives for a sample known only as distinct values and how often each
 * occurs (a discrete output on the GPU): the same bin for each value, by the same arithmetic.
 */
export function countDistinct(values: Float64Array, occurrences: Float64Array, plan: BinPlan): Uint32Array {
  const counts = new Uint32Array(FINE_BINS);
  const scale = binScale(plan);
  const last = FINE_BINS - 1;
  for (let i = 0; i < values.length; i++) {
    const b = Math.floor((values[i]! - plan.min) * scale);
    counts[b < last ? b : last]! += occurrences[i]!;
  }
  return counts;
}

/**
 * Which bins hold the wanted ranks (0-based, among the finite values). This and the functions
 * below take any number of bins (counts.length): the GPU bins finer than FINE_BINS for long runs.
 */
export function wantedBins(counts: Uint32Array, ranks: readonly number[]): Uint8Array {
  const bins = counts.length;
  const wanted = new Uint8Array(bins);
  const sorted = [...ranks].sort((a, b) => a - b);
  let r = 0;
  let below = 0;
  for (let b = 0; b < bins && r < sorted.length; b++) {
    const c = counts[b]!;
    while (r < sorted.length && sorted[r]! < below + c) {
      wanted[b] = 1;
      r++;
    }
    below += c;
  }
  return wanted;
}

/** The finite values of values[start, end) that fall in wanted bins, in any order. */
export function collectWanted(
  values: Float64Array,
  plan: BinPlan,
  wanted: Uint8Array,
  start = 0,
  end = values.length,
): Float64Array {
  const { min } = plan;
  const scale = binScale(plan);
  const last = FINE_BINS - 1;
  const kept: number[] = [];
  for (let i = start; i < end; i++) {
    const v = values[i]!;
    if (v - v !== 0) continue;
    const b = Math.floor((v - min) * scale);
    if (wanted[b < last ? b : last] === 1) kept.push(v);
  }
  return Float64Array.from(kept);
}

/**
 * The value at each wanted rank, from the merged bin counts and the sorted values of the wanted
 * bins; a bin whose single value is known (single[b], NaN for the others) is not among them.
 */
export function pickRanks(
  counts: Uint32Array,
  wanted: Uint8Array,
  collectedSorted: Float64Array,
  ranks: readonly number[],
  single?: Float64Array,
): Map<number, number> {
  // For each wanted bin: how many finite values lie below it, and where its values start in collectedSorted.
  const bins = counts.length;
  const below = new Float64Array(bins);
  const offset = new Float64Array(bins);
  let running = 0;
  let taken = 0;
  for (let b = 0; b < bins; b++) {
    below[b] = running;
    offset[b] = taken;
    running += counts[b]!;
    if (wanted[b] && !isSingle(single, b)) taken += counts[b]!;
  }
  const out = new Map<number, number>();
  for (const rank of ranks) {
    // The bin holding `rank`: the last bin whose `below` is ≤ rank and that holds values.
    let lo = 0;
    let hi = bins - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (below[mid]! <= rank) lo = mid;
      else hi = mid - 1;
    }
    while (lo > 0 && counts[lo] === 0) lo--;
    out.set(rank, isSingle(single, lo) ? single![lo]! : collectedSorted[offset[lo]! + rank - below[lo]!]!);
  }
  return out;
}

/** Whether bin b holds one value only, known without collecting it (single[b] not NaN). */
const isSingle = (single: Float64Array | undefined, b: number) => single !== undefined && !Number.isNaN(single[b]!);

/** More than this share of the sample in the wanted bins (those not of a single value), and a plain sort is as quick. */
const SORT_INSTEAD = 0.25;

/**
 * The values at the given 0-based ranks among the finite values of `values` (n finite values
 * between min and max, as momentsOf reports them). Exact: the same values a full sort would give.
 */
export function valuesAtRanks(
  values: Float64Array,
  n: number,
  plan: BinPlan,
  ranks: readonly number[],
  counted?: Uint32Array,
): Map<number, number> {
  const out = new Map<number, number>();
  if (n === 0 || ranks.length === 0) return out;
  if (plan.min === plan.max || n < 50_000) return sortedRanks(values, ranks);
  const counts = counted ?? countBins(values, plan);
  const wanted = wantedBinsIfFew(counts, ranks, n);
  if (!wanted) return crowdedRanks(values, n, plan, counts, ranks);
  return pickRanks(counts, wanted, collectWanted(values, plan, wanted).sort(), ranks);
}

/**
 * valuesAtRanks for a sample whose wanted bins hold too much of it (a discrete output: its few
 * values fill them): one more pass finds the bins that hold a single value, whose ranks need no
 * collecting; only the other wanted bins are collected and sorted. Sorts everything only when
 * those still hold over a quarter of the sample. Ten million Poisson values: 0.3–0.6 s on this
 * machine's Node, where the full sort took 2.4 s.
 */
export function crowdedRanks(
  values: Float64Array,
  n: number,
  plan: BinPlan,
  counts: Uint32Array,
  ranks: readonly number[],
): Map<number, number> {
  const single = singleValueFineBins(values, plan);
  const wanted = wantedBinsIfFew(counts, ranks, n, single);
  if (!wanted) return sortedRanks(values, ranks);
  return pickRanks(counts, wanted, collectWanted(values, plan, toCollect(wanted, single)).sort(), ranks, single);
}

/** The wanted bins that must be collected: those not known to hold a single value. */
export function toCollect(wanted: Uint8Array, single: Float64Array): Uint8Array {
  return wanted.map((w, b) => (w && Number.isNaN(single[b]!) ? 1 : 0));
}

/**
 * Per fine bin, the smallest and largest finite value of values[start, end) in it, and which
 * signs of zero it holds (bit 1: -0, bit 2: +0), which compare equal but sort apart. The ranges
 * of a run's partitions merge with mergeValueRanges.
 */
export interface ValueRanges {
  low: Float64Array;
  high: Float64Array;
  zeros: Uint8Array;
}

export function binValueRanges(values: Float64Array, plan: BinPlan, start = 0, end = values.length): ValueRanges {
  const { min } = plan;
  const scale = binScale(plan);
  const last = FINE_BINS - 1;
  const low = new Float64Array(FINE_BINS).fill(Number.POSITIVE_INFINITY);
  const high = new Float64Array(FINE_BINS).fill(Number.NEGATIVE_INFINITY);
  const zeros = new Uint8Array(FINE_BINS);
  for (let i = start; i < end; i++) {
    const v = values[i]!;
    if (v - v !== 0) continue;
    const raw = Math.floor((v - min) * scale);
    const b = raw < last ? raw : last;
    if (v < low[b]!) low[b] = v;
    if (v > high[b]!) high[b] = v;
    if (v === 0) zeros[b]! |= Object.is(v, -0) ? 1 : 2;
  }
  return { low, high, zeros };
}

export function mergeValueRanges(parts: readonly ValueRanges[]): ValueRanges {
  const [first, ...rest] = parts;
  if (!first) throw new RangeError('no value ranges to merge');
  const low = Float64Array.from(first.low);
  const high = Float64Array.from(first.high);
  const zeros = Uint8Array.from(first.zeros);
  for (const part of rest) {
    for (let b = 0; b < FINE_BINS; b++) {
      if (part.low[b]! < low[b]!) low[b] = part.low[b]!;
      if (part.high[b]! > high[b]!) high[b] = part.high[b]!;
      zeros[b]! |= part.zeros[b]!;
    }
  }
  return { low, high, zeros };
}

/** Per fine bin, its value where every finite value in it is the same one, else NaN (NaN for an empty bin too). */
export function singleValues({ low, high, zeros }: ValueRanges): Float64Array {
  const single = new Float64Array(low.length).fill(Number.NaN);
  for (let b = 0; b < low.length; b++) {
    if (low[b] !== high[b]) continue;
    if (low[b] !== 0) single[b] = low[b]!;
    else if (zeros[b] !== 3) single[b] = zeros[b] === 1 ? -0 : 0;
  }
  return single;
}

/** singleValues of a whole sample: -0 and +0 are different values here, as a sort orders them. */
export function singleValueFineBins(values: Float64Array, plan: BinPlan): Float64Array {
  return singleValues(binValueRanges(values, plan));
}

/**
 * The wanted bins, or null when they hold so much of the sample that sorting it all is as quick.
 * Bins known to hold a single value (`single`, as pickRanks takes it) need no collecting, so
 * they do not count.
 */
export function wantedBinsIfFew(
  counts: Uint32Array,
  ranks: readonly number[],
  n: number,
  single?: Float64Array,
): Uint8Array | null {
  const wanted = wantedBins(counts, ranks);
  let inWanted = 0;
  for (let b = 0; b < counts.length; b++) if (wanted[b] && !isSingle(single, b)) inWanted += counts[b]!;
  return inWanted > SORT_INSTEAD * n ? null : wanted;
}

export function sortedRanks(values: Float64Array, ranks: readonly number[]): Map<number, number> {
  const finite = values.filter((v) => v - v === 0).sort();
  return new Map(ranks.map((r) => [r, finite[r]!]));
}
