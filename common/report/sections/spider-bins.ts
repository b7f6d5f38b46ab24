/**
 * The spider plot's bins (and the change-in-mean tornado) of many outputs of one run: exactly what
 * binnedStatistics (common/engine/analysis/tornado.ts) gives with the output mean in ten bins, but
 * each input is ordered once for every output rather than once per output (a 30-output report
 * sorted 300 arrays for nothing). An output with non-finite values drops iterations, so its inputs'
 * orders differ: it goes to binnedStatistics itself.
 */
import { binnedStatistics, type BinnedStatistics, type InputBins } from '../../engine/analysis/tornado';
import { stableOrder } from '../../engine/analysis/sample-math';

export const SPIDER_BINS = 10;

export class SpiderBins {
  private readonly orders = new Map<string, Uint32Array>();

  constructor(private readonly inputs: Record<string, Float64Array>) {}

  private orderOf(name: string): Uint32Array {
    let order = this.orders.get(name);
    if (!order) this.orders.set(name, (order = stableOrder(this.inputs[name]!)));
    return order;
  }

  of(output: Float64Array): BinnedStatistics {
    const n = output.length;
    if (n < SPIDER_BINS || !output.every(Number.isFinite))
      return binnedStatistics(this.inputs, output, { kind: 'mean' }, SPIDER_BINS);
    const rows = Object.entries(this.inputs).map(([input, values]): InputBins => {
      const order = this.orderOf(input);
      const row: InputBins = {
        input,
        statistic: [],
        inputLow: [],
        inputHigh: [],
        counts: [],
        low: Infinity,
        high: -Infinity,
        lowBin: 0,
        highBin: 0,
      };
      for (let k = 0; k < SPIDER_BINS; k++) {
        const from = Math.floor((k * n) / SPIDER_BINS);
        const to = Math.floor(((k + 1) * n) / SPIDER_BINS);
        let sum = 0;
        for (let i = from; i < to; i++) sum += output[order[i]!]!;
        const s = sum / (to - from);
        row.statistic.push(s);
        row.inputLow.push(values[order[from]!]!);
        row.inputHigh.push(values[order[to - 1]!]!);
        row.counts.push(to - from);
        if (s < row.low) [row.low, row.lowBin] = [s, k];
        if (s > row.high) [row.high, row.highBin] = [s, k];
      }
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
