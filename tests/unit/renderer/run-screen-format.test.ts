import { describe, expect, it } from 'vitest';
import { summarize } from '../../../common/engine/statistics';
import { cdfCurve } from '../../../renderer/features/run/cdf-curve';
import { formatCorrelation, formatNumber } from '../../../renderer/features/run/format';
import { nextChunkIterations } from '../../../renderer/engine/webgpu/simulation/chunking';

describe('the S-curve of tied values', () => {
  it('a 0/1 output ends at (1, 100%) with one point per value, drawn as steps', () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => (i < 780 ? 0 : 1));
    const curve = cdfCurve(summarize(values).cdf);
    // 0 up to P77, 1 from P79 (P78 falls between the two, interpolated).
    expect(curve.x[0]).toBe(0);
    expect(curve.percent[0]).toBe(77);
    expect(curve.x[curve.x.length - 1]).toBe(1);
    expect(curve.percent[curve.percent.length - 1]).toBe(100);
    expect(curve.x.length).toBeLessThanOrEqual(3);
    expect(curve.stepped).toBe(true);
  });

  it('a continuous output keeps its 101 points and its line', () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 10);
    const curve = cdfCurve(summarize(values).cdf);
    expect(curve.x).toHaveLength(101);
    expect(new Set(curve.x).size).toBe(101);
    expect(curve.percent[100]).toBe(100);
    expect(curve.stepped).toBe(false);
  });
});

describe('numbers on the run screen', () => {
  it('a correlation that rounds to zero is 0.000, never -0.000', () => {
    expect(formatCorrelation(-0.0004)).toBe('0.000');
    expect(formatCorrelation(-0)).toBe('0.000');
    expect(formatCorrelation(-0.0006)).toBe('-0.001');
    expect(formatCorrelation(0.5)).toBe('0.500');
    expect(formatCorrelation(Number.NaN)).toBe('—');
    expect(formatNumber(-0)).toBe('0');
  });

  it('the statistics of no finite value, and the shape of equal values, are undefined ("—")', () => {
    const none = summarize(Float64Array.of(Number.NaN, Number.POSITIVE_INFINITY));
    for (const value of [none.mean, none.sd, none.min, none.max, none.skewness, none.kurtosis, ...none.ci95])
      expect(formatNumber(value)).toBe('—');
    const equal = summarize(Float64Array.of(2, 2, 2));
    expect(equal.sd).toBe(0);
    expect(formatNumber(equal.skewness)).toBe('—');
  });
});

describe('WebGPU chunks sized by time', () => {
  it('grows to the buffers on a fast device and stays small on a slow one, by at most twice a chunk', () => {
    expect(nextChunkIterations(8192, 1, 1 << 20, 4)).toBe(16384);
    expect(nextChunkIterations(1 << 20, 1, 1 << 20, 4)).toBe(1 << 20);
    // SwiftShader: about 400,000 iterations a second, so 40 ms is about 16,000.
    expect(nextChunkIterations(16384, 40.96, 1 << 20, 4)).toBe(16000);
    expect(nextChunkIterations(65536, 1000, 1 << 20, 4)).toBe(32768);
    expect(nextChunkIterations(4, 1000, 1 << 20, 4)).toBe(4);
  });
});
