/**
 * The spider plot's bins (and the change-in-mean tornado) of many outputs of one run: what
 * binnedStatistics (common/engine/analysis/tornado.ts) gives with the output mean in ten bins (to
 * rounding: sums run in iteration order here), but each input is ordered and binned once for every
 * output, and each output is then read in one pass in iteration order (a 30-output report sorted
 * 300 arrays for nothing; gathering by each input's order cost more than the sorting). An output
 * with non-finite values drops iterations, so its bins differ: it goes to binnedStatistics itself.
 */
import { binnedStatistics, type BinnedStatistics, type InputBins } from '../../engine/analysis/tornado';
import { stableOrder } from '../../engine/analysis/sample-math';

export const SPIDER_BINS = 10;

interface InputBinning {
  /** Each iteration's bin (0 to SPIDER_BINS − 1) by this input's value. */
  binOf: Uint8Array;
  counts: number[];
  inputLow: number[];
  inputHigh: number[];
}

function allFinite(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return false;
  return true;
}

export class SpiderBins {
  private readonly binnings = new Map<string, InputBinning>();

  constructor(private readonly inputs: Record<string, Float64Array>) {}

  private binning(name: string, n: number): InputBinning {
    const cached = this.binnings.get(name);
    if (cached) return cached;
    const values = this.inputs[name]!;
    const order = stableOrder(values);
    const binning: InputBinning = { binOf: new Uint8Array(n), counts: [], inputLow: [], inputHigh: [] };
    for (let k = 0; k < SPIDER_BINS; k++) {
      const from = Math.floor((k * n) / SPIDER_BINS);
      const to = Math.floor(((k + 1) * n) / SPIDER_BINS);
      for (let i = from; i < to; i++) binning.binOf[order[i]!] = k;
      binning.counts.push(to - from);
      binning.inputLow.push(values[order[from]!]!);
      binning.inputHigh.push(values[order[to - 1]!]!);
    }
    this.binnings.set(name, binning);
    return binning;
  }

  of(output: Float64Array): BinnedStatistics {
    const n = output.length;
    if (n < SPIDER_BINS || !allFinite(output))
      return binnedStatistics(this.inputs, output, { kind: 'mean' }, SPIDER_BINS);
    const sums = new Float64Array(SPIDER_BINS);
    const rows = Object.keys(this.inputs).map((input): InputBins => {
      const { binOf, counts, inputLow, inputHigh } = this.binning(input, n);
      sums.fill(0);
      for (let i = 0; i < n; i++) sums[binOf[i]!]! += output[i]!;
      const row: InputBins = {
        input,
        statistic: counts.map((count, k) => sums[k]! / count),
        inputLow,
        inputHigh,
        counts,
        low: Infinity,
        high: -Infinity,
        lowBin: 0,
        highBin: 0,
      };
      row.statistic.forEach((s, k) => {
        if (s < row.low) [row.low, row.lowBin] = [s, k];
        if (s > row.high) [row.high, row.highBin] = [s, k];
      });
      return row;
    });
    rows.sort((a, b) => b.high - b.low - (a.high - a.low));
    let sum = 0;
    for (let i = 0; i < n; i++) sum += output[i]!;
    return {
      statistic: { kind: 'mean' },
      label: 'mean',
      bins: SPIDER_BINS,
      overall: sum / n,
      binCenters: Array.from({ length: SPIDER_BINS }, (_, k) => (100 * (k + 0.5)) / SPIDER_BINS),
      inputs: rows,
      iterations: n,
    };
  }
}
