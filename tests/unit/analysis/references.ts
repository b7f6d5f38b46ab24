import { readFileSync } from 'node:fs';

/** The samples and the numpy/scipy values of tests/data/analysis/make-references.py. */
interface References {
  samples: Record<'a' | 'b' | 'c' | 'd' | 'y' | 'y2', (number | null)[]>;
  comparison: {
    percentiles: number[];
    thresholds: number[];
    bins: number;
    curvePoints: number;
    mean: number[];
    sd: number[];
    min: number[];
    max: number[];
    percentileValues: number[][];
    exceedance: number[][];
    edges: number[];
    shares: number[][];
    grid: number[];
    cumulative: number[][];
  };
  tornado: {
    rankCorrelation: Record<string, number>;
    src: Record<string, number>;
    rSquared: number;
    contribution: Record<string, number>;
    iterations: number;
  };
  binned: { mean: Record<string, number[]>; p90: Record<string, number[]>; overallMean: number; overallP90: number };
  tail: {
    percentile: number;
    boundary: number;
    subsetSize: number;
    drivers: Record<
      string,
      { overallMedian: number; subsetMedian: number; sd: number; shift: number; subsetMedianPercentile: number }
    >;
  };
  scatter: { maxPoints: number; rankCorrelation: number; x: number[]; y: number[] };
  convergence: {
    percentiles: number[];
    checkpoints: number[];
    mean: number[];
    meanLow: number[];
    meanHigh: number[];
  } & Record<string, { value: number[]; low: number[]; high: number[] }>;
}

export const references = JSON.parse(
  readFileSync(new URL('../../data/analysis/references.json', import.meta.url), 'utf8'),
) as References;

const column = (name: keyof References['samples']) =>
  Float64Array.from(references.samples[name], (v) => (v === null ? Number.NaN : v));

export const samples = {
  inputs: { a: column('a'), b: column('b'), c: column('c'), d: column('d') },
  y: column('y'),
  y2: column('y2'),
};

/** Close to a numpy value: within 1e-9 of it, relative to its size (or absolutely near zero). */
export function expectClose(actual: number, expected: number, what: string): void {
  const tolerance = 1e-9 * Math.max(1, Math.abs(expected));
  if (!(Math.abs(actual - expected) <= tolerance))
    throw new Error(`${what}: ${actual} is not within ${tolerance} of numpy's ${expected}`);
}

export function expectAllClose(actual: readonly number[], expected: readonly number[], what: string): void {
  if (actual.length !== expected.length)
    throw new Error(`${what}: ${actual.length} values where numpy has ${expected.length}`);
  actual.forEach((v, i) => expectClose(v, expected[i]!, `${what}[${i}]`));
}
