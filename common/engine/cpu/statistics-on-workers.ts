import type { Moments } from '../moments';
import {
  FINE_BINS,
  mergeValueRanges,
  pickRanks,
  singleValues,
  toCollect,
  wantedBinsIfFew,
  type BinPlan,
} from '../order-statistics';
import { statisticsFrom, statisticsRanks, type OutputStatistics } from '../statistics';
import type { EngineJob, ReplyOf } from './messages';

/** Asks every worker that holds a partition the same thing, and gives their replies in partition order. */
export type AskAll = <K extends 'counted' | 'ranged' | 'collected'>(job: EngineJob, kind: K) => Promise<ReplyOf<K>[]>;

function sumCounts(parts: Uint32Array[]): Uint32Array {
  const total = new Uint32Array(FINE_BINS);
  for (const part of parts) for (let b = 0; b < FINE_BINS; b++) total[b]! += part[b]!;
  return total;
}

function joined(parts: Float64Array[]): Float64Array {
  const all = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return all;
}

/**
 * Every output's statistics, with the passes over the values shared out: each worker counts its
 * partition into the fine bins, the counts are summed here, and each worker then hands back only
 * its values in the few bins that hold a wanted rank (order-statistics.ts). Where those bins are
 * crowded (a discrete output), the workers first give each bin's value range, and bins of a
 * single value are not collected; where they are crowded still, every bin is wanted (the values
 * of single-value bins are still not collected). Exactly summarize's result, whatever the number
 * of workers.
 */
export async function statisticsOnWorkers(
  ask: AskAll,
  moments: Record<string, Moments>,
): Promise<Record<string, OutputStatistics>> {
  const names = Object.keys(moments);
  const plans: Record<string, BinPlan> = {};
  for (const name of names)
    if (moments[name]!.n > 0 && moments[name]!.max > moments[name]!.min)
      plans[name] = { min: moments[name]!.min, max: moments[name]!.max };
  const counted = Object.keys(plans).length ? await ask({ kind: 'count', plans }, 'counted') : [];
  const fine: Record<string, Uint32Array> = {};
  const wanted: Record<string, Uint8Array> = {};
  const crowded: Record<string, BinPlan> = {};
  for (const name of Object.keys(plans)) {
    fine[name] = sumCounts(counted.map((reply) => reply.counts[name]!));
    const few = wantedBinsIfFew(fine[name]!, statisticsRanks(moments[name]!.n), moments[name]!.n);
    if (few) wanted[name] = few;
    else crowded[name] = plans[name]!;
  }
  const collect: Record<string, Uint8Array> = { ...wanted };
  const single: Record<string, Float64Array> = {};
  if (Object.keys(crowded).length > 0) {
    const ranged = await ask({ kind: 'range', plans: crowded }, 'ranged');
    for (const name of Object.keys(crowded)) {
      single[name] = singleValues(mergeValueRanges(ranged.map((reply) => reply.ranges[name]!)));
      // Too crowded still for a share of the bins to be worth it: every bin, as a full sort would read.
      const few =
        wantedBinsIfFew(fine[name]!, statisticsRanks(moments[name]!.n), moments[name]!.n, single[name]) ??
        new Uint8Array(FINE_BINS).fill(1);
      wanted[name] = few;
      collect[name] = toCollect(few, single[name]!);
    }
  }
  const collectPlans = Object.fromEntries(Object.keys(collect).map((name) => [name, plans[name]!]));
  const collected = Object.keys(collect).length
    ? await ask({ kind: 'collect', plans: collectPlans, wanted: collect }, 'collected')
    : [];
  const statistics: Record<string, OutputStatistics> = {};
  for (const name of names) {
    const m = moments[name]!;
    const ranks = statisticsRanks(m.n);
    let at: Map<number, number>;
    if (wanted[name]) {
      const all = joined(collected.map((reply) => reply.collected[name]!));
      at = pickRanks(fine[name]!, wanted[name]!, all.sort(), ranks, single[name]);
    } else {
      // No finite value (no rank is read), or every finite value is the same one: min (a run stores +0, never -0).
      at = new Map(m.n > 0 ? ranks.map((r) => [r, m.min]) : []);
    }
    statistics[name] = statisticsFrom(m, fine[name] ?? null, at);
  }
  return statistics;
}
