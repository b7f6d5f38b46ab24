/**
 * Histograms of several runs on one set of bins. Each run saved its own equal-width bins from its
 * own min to max, so the edges differ; the report spreads each saved bin's count over the common
 * bins it overlaps, in proportion to the overlap (the values are taken as even within a saved bin),
 * and shows each run's share of its iterations per common bin, so runs of different lengths compare.
 */
import type { OutputStatistics } from '../../engine/statistics';

export const COMMON_BINS = 40;

export interface CommonHistogram {
  edges: number[];
  /** One list of shares per histogram given, one share per common bin. */
  shares: number[][];
}

export function commonHistogram(histograms: readonly OutputStatistics['histogram'][]): CommonHistogram | null {
  const used = histograms.filter((h) => h.edges.length >= 2);
  if (used.length === 0) return null;
  const low = Math.min(...used.map((h) => h.edges[0]!));
  const high = Math.max(...used.map((h) => h.edges[h.edges.length - 1]!));
  // Every value equal (one bin of zero width): one common bin around it.
  const bins = high > low ? COMMON_BINS : 1;
  const width = high > low ? (high - low) / bins : 1;
  const start = high > low ? low : low - 0.5;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? start + bins * width : start + i * width));
  const shares = histograms.map((h) => spread(h, start, width, bins));
  return { edges, shares };
}

function spread(h: OutputStatistics['histogram'], start: number, width: number, bins: number): number[] {
  const out = new Array<number>(bins).fill(0);
  const total = h.counts.reduce((sum, c) => sum + c, 0);
  if (total === 0) return out;
  const binOf = (x: number) => Math.min(bins - 1, Math.max(0, Math.floor((x - start) / width)));
  h.counts.forEach((count, i) => {
    const a = h.edges[i]!;
    const b = h.edges[i + 1]!;
    if (count === 0) return;
    if (!(b > a)) {
      out[binOf(a)]! += count / total;
      return;
    }
    for (let k = binOf(a); k <= binOf(b); k++) {
      const overlap = Math.min(b, start + (k + 1) * width) - Math.max(a, start + k * width);
      if (overlap > 0) out[k]! += (count * overlap) / (b - a) / total;
    }
  });
  return out;
}
