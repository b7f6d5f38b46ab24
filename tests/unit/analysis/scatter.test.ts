import { describe, expect, it } from 'vitest';
import { scatter } from '../../../common/engine/analysis/scatter';
import { expectAllClose, expectClose, references, samples } from './references';

const ref = references.scatter;

describe('scatter of an output against an input', () => {
  it('takes the rank correlation from every iteration but plots an even, bounded subsample', () => {
    const s = scatter(samples.inputs.c, samples.y, ref.maxPoints);
    expect(s.iterations).toBe(1979);
    expectClose(s.rankCorrelation, ref.rankCorrelation, 'Spearman rho');
    expect(s.x).toHaveLength(ref.maxPoints);
    expectAllClose(s.x, ref.x, 'plotted x');
    expectAllClose(s.y, ref.y, 'plotted y');
  });

  it('plots the same points every time, and every point when there are few', () => {
    expect(scatter(samples.inputs.c, samples.y, 500)).toEqual(scatter(samples.inputs.c, samples.y, 500));
    expect(scatter(samples.inputs.c, samples.y).x).toHaveLength(1979);
  });

  it('has no correlation with fewer than three finite pairs', () => {
    const s = scatter(Float64Array.from([1, 2, Number.NaN]), Float64Array.from([3, 4, 5]));
    expect(s.rankCorrelation).toBeNaN();
    expect(s.x).toEqual([1, 2]);
  });
});
