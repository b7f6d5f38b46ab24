import { describe, expect, it } from 'vitest';
import {
  extent,
  formatTick,
  linearAxis,
  logAxis,
  niceStep,
  scaleOf,
} from '../../../renderer/features/reports/document/charts/scale';

describe('report chart scales', () => {
  it('steps in 1, 2 or 5 times a power of ten', () => {
    expect(niceStep(97, 5)).toBe(20);
    expect(niceStep(80, 6)).toBe(20);
    expect(niceStep(0.9, 5)).toBe(0.2);
    expect(niceStep(4000, 5)).toBe(1000);
    expect(niceStep(0.0004, 4)).toBeCloseTo(0.0001, 12);
  });

  it('widens a linear axis to whole ticks and labels them as a reader writes them', () => {
    const axis = linearAxis(83, 157, 6);
    expect(axis.domain).toEqual([80, 160]);
    expect(axis.ticks.map((t) => t.label)).toEqual(['80', '100', '120', '140', '160']);
    expect(linearAxis(0, 4800, 5).ticks.map((t) => t.label)).toEqual([
      '0',
      '1,000',
      '2,000',
      '3,000',
      '4,000',
      '5,000',
    ]);
  });

  it('labels decimal ticks with the step’s decimals, never floating-point noise', () => {
    const labels = linearAxis(0, 0.3, 3).ticks.map((t) => t.label);
    expect(labels).toEqual(['0', '0.1', '0.2', '0.3']);
    expect(linearAxis(0.02, 0.13, 5).ticks.map((t) => t.label)).toEqual(['0', '0.05', '0.10', '0.15']);
    expect(formatTick(-250, 50)).toBe('-250');
  });

  it('covers negative ranges and a single value', () => {
    const axis = linearAxis(-37, 12, 5);
    expect(axis.domain[0]).toBeLessThanOrEqual(-37);
    expect(axis.domain[1]).toBeGreaterThanOrEqual(12);
    expect(axis.ticks.some((t) => t.value === 0)).toBe(true);
    expect(extent([5, 5])).toEqual([4.5, 5.5]);
    expect(extent([Number.NaN, Infinity])).toEqual([0, 1]);
  });

  it('puts a log axis on powers of ten', () => {
    const axis = logAxis(120, 1_000_000);
    expect(axis.ticks.map((t) => t.label)).toEqual(['100', '1,000', '10,000', '100,000', '1,000,000']);
    expect(logAxis(0.002, 0.5).ticks.map((t) => t.label)).toEqual(['0.001', '0.01', '0.1', '1']);
    expect(logAxis(1, 5e7).ticks.at(-1)!.label).toBe('1e8');
    expect(() => logAxis(0, 10)).toThrow(/positive/);
  });

  it('maps values onto pixels, log axes by decades', () => {
    const log = scaleOf(logAxis(1, 100), 0, 200);
    expect(log(1)).toBeCloseTo(0);
    expect(log(10)).toBeCloseTo(100);
    expect(log(100)).toBeCloseTo(200);
    // A y axis runs upwards: larger values nearer the top (smaller pixel numbers).
    const y = scaleOf(linearAxis(0, 10, 5), 300, 20);
    expect(y(0)).toBe(300);
    expect(y(10)).toBe(20);
  });
});
