import { sensitivity } from '../sensitivity';
import { describeStatistic, finiteIndices, pick, stableOrder, statisticOf, type OutputStatistic } from './sample-math';

/**
 * Tornadoes of one output from one run's samples, no re-simulation:
 * - rank correlation: Spearman's rho of each input with the output;
 * - regression: standardized regression coefficients (SRC) of the output regressed on all inputs
 *   at once, on their VALUES (not ranks), with the R² that says how much the linear model explains;
 * - contribution to variance: as @RISK computes it, each input's squared rank correlation as a
 *   share of the sum of squared rank correlations (a normalization, not a variance decomposition);
 * - change in output statistic: each input's iterations split into equal-count bins by the input's
 *   value; the output statistic (mean or a percentile) in each bin; the bar runs from the lowest
 *   bin's statistic to the highest. The same bins drawn per input against the input percentile
 *   make the spider plot.
 * Every one uses only iterations whose output is a finite number.
 */
export type TornadoMethod = 'rank-correlation' | 'regression' | 'contribution';

export interface TornadoBar {
  input: string;
  value: number;
}

export interface Tornado {
  method: TornadoMethod;
  /** Largest |value| first. */
  bars: TornadoBar[];
  /** For the regression: share of the output's variance the linear model explains. */
  rSquared: number;
  iterations: number;
}

export function tornado(inputs: Record<string, Float64Array>, output: Float64Array, method: TornadoMethod): Tornado {
  const s = sensitivity(inputs, output);
  const squares = s.inputs.reduce((sum, i) => sum + i.rankCorrelation ** 2, 0);
  const bars = s.inputs.map((i) => ({
    input: i.input,
    value:
      method === 'rank-correlation'
        ? i.rankCorrelation
        : method === 'regression'
          ? i.src
          : squares > 0
            ? i.rankCorrelation ** 2 / squares
            : 0,
  }));
  bars.sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
  return { method, bars, rSquared: s.rSquared, iterations: s.iterations };
}

export interface InputBins {
  input: string;
  /** The output statistic in each bin, lowest input values first. */
  statistic: number[];
  /** Each bin's smallest and largest input value. */
  inputLow: number[];
  inputHigh: number[];
  /** Iterations in each bin. */
  counts: number[];
  /** The lowest and highest bin statistic (the tornado bar), and the bins (0-based) they came from. */
  low: number;
  high: number;
  lowBin: number;
  highBin: number;
}

export interface BinnedStatistics {
  statistic: OutputStatistic;
  label: string;
  bins: number;
  /** The statistic over every iteration whose output is finite: where the bars are centred. */
  overall: number;
  /** Each bin's middle, as an input percentile (5, 15, …, 95 for 10 bins): the spider's x. */
  binCenters: number[];
  /** Widest range (high − low) first. */
  inputs: InputBins[];
  iterations: number;
}

/** Bin k of n ordered iterations: positions [floor(k·n/bins), floor((k+1)·n/bins)). */
const binStart = (k: number, n: number, bins: number) => Math.floor((k * n) / bins);

export function binnedStatistics(
  allInputs: Record<string, Float64Array>,
  allOutput: Float64Array,
  statistic: OutputStatistic,
  bins = 10,
): BinnedStatistics {
  if (!Number.isInteger(bins) || bins < 2)
    throw new RangeError('the number of bins must be a whole number of at least 2');
  if (statistic.kind === 'percentile' && !(statistic.p >= 0 && statistic.p <= 100))
    throw new RangeError('the percentile must be between 0 and 100');
  const keep = finiteIndices(allOutput);
  const output = pick(allOutput, keep);
  const n = output.length;
  const binCenters = Array.from({ length: bins }, (_, k) => (100 * (k + 0.5)) / bins);
  const base = { statistic, label: describeStatistic(statistic), bins, binCenters, iterations: n };
  if (n < bins) return { ...base, overall: statisticOf(output, statistic), inputs: [] };
  const rows = Object.entries(allInputs).map(([input, all]): InputBins => {
    const values = pick(all, keep);
    const order = stableOrder(values);
    const row: InputBins = {
      input,
      statistic: [],
      inputLow: [],
      inputHigh: [],
      counts: [],
      low: Number.POSITIVE_INFINITY,
      high: Number.NEGATIVE_INFINITY,
      lowBin: 0,
      highBin: 0,
    };
    for (let k = 0; k < bins; k++) {
      const slice = order.subarray(binStart(k, n, bins), binStart(k + 1, n, bins));
      const s = statisticOf(pick(output, slice), statistic);
      row.statistic.push(s);
      row.inputLow.push(values[slice[0]!]!);
      row.inputHigh.push(values[slice[slice.length - 1]!]!);
      row.counts.push(slice.length);
      if (s < row.low) [row.low, row.lowBin] = [s, k];
      if (s > row.high) [row.high, row.highBin] = [s, k];
    }
    return row;
  });
  rows.sort((a, b) => b.high - b.low - (a.high - a.low));
  return { ...base, overall: statisticOf(output, statistic), inputs: rows };
}
