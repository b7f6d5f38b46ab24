import { finiteIndices, meanAndSd, percentileOfSorted, pick, sortedFinite } from './sample-math';

/**
 * Scenario analysis (@RISK's name; here "tail drivers"): which inputs drive an output into a tail.
 * The subset is the iterations whose output is at or above its P`percentile` (upper tail), or at
 * or below it (lower tail). For each input, its median in that subset against its median over all
 * iterations with a finite output: the shift in units of the input's standard deviation, and the
 * subset median's place in the input's whole distribution as a percentile. An input whose |shift|
 * exceeds `threshold` standard deviations is flagged significant.
 */
export interface TailDriverOptions {
  /** The tail's boundary as an output percentile, 0–100 (e.g. 90). */
  percentile: number;
  tail: 'upper' | 'lower';
  /** |shift| in sd above which an input is significant; default 0.5. */
  threshold?: number;
}

export interface TailDriver {
  input: string;
  overallMedian: number;
  subsetMedian: number;
  /** The input's sample standard deviation (n − 1) over all iterations with a finite output. */
  sd: number;
  /** (subsetMedian − overallMedian) / sd; 0 for a constant input. */
  shift: number;
  /** Share (0–100) of all the input's values at or below subsetMedian. */
  subsetMedianPercentile: number;
  significant: boolean;
}

export interface TailDrivers {
  options: Required<TailDriverOptions>;
  /** The output's value at the boundary. */
  boundary: number;
  subsetSize: number;
  iterations: number;
  /** Largest |shift| first. */
  drivers: TailDriver[];
}

export function tailDrivers(
  allInputs: Record<string, Float64Array>,
  allOutput: Float64Array,
  options: TailDriverOptions,
): TailDrivers {
  if (!(options.percentile > 0 && options.percentile < 100))
    throw new RangeError('the tail boundary must be a percentile between 0 and 100');
  const full = { threshold: 0.5, ...options };
  const keep = finiteIndices(allOutput);
  const output = pick(allOutput, keep);
  const boundary = percentileOfSorted(Float64Array.from(output).sort(), full.percentile);
  const inTail = (v: number) => (full.tail === 'upper' ? v >= boundary : v <= boundary);
  let subsetSize = 0;
  for (const v of output) if (inTail(v)) subsetSize++;
  const subset = new Uint32Array(subsetSize);
  for (let i = 0, k = 0; i < output.length; i++) if (inTail(output[i]!)) subset[k++] = i;
  const drivers = Object.entries(allInputs).map(([input, all]): TailDriver => {
    const values = pick(all, keep);
    const sorted = sortedFinite(values);
    const overallMedian = percentileOfSorted(sorted, 50);
    const subsetMedian = percentileOfSorted(sortedFinite(pick(values, subset)), 50);
    const { sd } = meanAndSd(values);
    const shift = sd > 0 ? (subsetMedian - overallMedian) / sd : 0;
    let atOrBelow = 0;
    while (atOrBelow < sorted.length && sorted[atOrBelow]! <= subsetMedian) atOrBelow++;
    return {
      input,
      overallMedian,
      subsetMedian,
      sd,
      shift,
      subsetMedianPercentile: sorted.length ? (100 * atOrBelow) / sorted.length : Number.NaN,
      significant: Math.abs(shift) > full.threshold,
    };
  });
  drivers.sort((a, b) => Math.abs(b.shift) - Math.abs(a.shift));
  return { options: full, boundary, subsetSize, iterations: output.length, drivers };
}
