import { describe, expect, it } from 'vitest';
import { tailDrivers } from '../../../common/engine/analysis/tail-drivers';
import { expectClose, references, samples } from './references';

const ref = references.tail;

describe('tail drivers (scenario analysis)', () => {
  it('compares each input’s median where the output is at or above its P90 with its overall median, as numpy', () => {
    const t = tailDrivers(samples.inputs, samples.y, { percentile: 90, tail: 'upper' });
    expectClose(t.boundary, ref.boundary, 'P90 of the output');
    expect(t.subsetSize).toBe(ref.subsetSize);
    for (const driver of t.drivers) {
      const r = ref.drivers[driver.input]!;
      expectClose(driver.overallMedian, r.overallMedian, `${driver.input} median`);
      expectClose(driver.subsetMedian, r.subsetMedian, `${driver.input} median in the tail`);
      expectClose(driver.sd, r.sd, `${driver.input} sd`);
      expectClose(driver.shift, r.shift, `${driver.input} shift`);
      expectClose(driver.subsetMedianPercentile, r.subsetMedianPercentile, `${driver.input} percentile`);
    }
  });

  it('flags inputs whose median shifts by more than half a standard deviation, largest shift first', () => {
    const t = tailDrivers(samples.inputs, samples.y, { percentile: 90, tail: 'upper' });
    const shifts = t.drivers.map((d) => Math.abs(d.shift));
    expect([...shifts].sort((x, y) => y - x)).toEqual(shifts);
    for (const d of t.drivers) expect(d.significant).toBe(Math.abs(d.shift) > 0.5);
    expect(t.drivers.filter((d) => d.significant).map((d) => d.input)).toEqual(['d', 'a', 'b']);
    // A stricter threshold keeps fewer.
    const strict = tailDrivers(samples.inputs, samples.y, { percentile: 90, tail: 'upper', threshold: 1.5 });
    expect(strict.drivers.filter((d) => d.significant).map((d) => d.input)).toEqual(['d']);
  });

  it('looks at the lower tail when asked: a driver of high values pulls the other way there', () => {
    const t = tailDrivers(samples.inputs, samples.y, { percentile: 10, tail: 'lower' });
    expect(t.drivers.find((d) => d.input === 'a')!.shift).toBeLessThan(-0.5);
  });

  it('refuses a tail boundary outside 0–100', () => {
    expect(() => tailDrivers(samples.inputs, samples.y, { percentile: 100, tail: 'upper' })).toThrow(
      'the tail boundary must be a percentile between 0 and 100',
    );
  });
});
