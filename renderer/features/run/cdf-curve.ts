import type { OutputStatistics } from '../../../common/engine/statistics';

/**
 * The S-curve's points from the CDF at whole percentiles. Tied values (a 0/1 output, a discrete
 * one, a point mass) put several percentiles on one x; a chart draws only up to the first point
 * of the largest x (uPlot's window ends at the first index of its range's end), so a 0/1 output's
 * curve stopped at 78%. Each distinct x keeps one point, the largest share at or below it, so the
 * curve ends at (max, 100%). Few distinct values draw as steps: the empirical CDF of discrete data.
 */
export interface CdfCurve {
  x: number[];
  /** Cumulative share, 0 to 100. */
  percent: number[];
  stepped: boolean;
}

/** At most this many distinct values (out of the 101 percentiles) draw as steps. */
const STEPPED_DISTINCT = 25;

export function cdfCurve(cdf: OutputStatistics['cdf']): CdfCurve {
  const x: number[] = [];
  const percent: number[] = [];
  for (const point of cdf) {
    if (!Number.isFinite(point.x)) continue;
    if (x.length > 0 && x[x.length - 1] === point.x) percent[percent.length - 1] = point.p * 100;
    else {
      x.push(point.x);
      percent.push(point.p * 100);
    }
  }
  return { x, percent, stepped: x.length < cdf.length && x.length <= STEPPED_DISTINCT };
}
