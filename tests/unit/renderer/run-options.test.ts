import { describe, expect, it } from 'vitest';
import { checkIterations, checkSeed } from '../../../renderer/state/run-options';

describe('run options', () => {
  it.each([
    ['1', 1],
    ['200000', 200_000],
    ['1,000,000', 1_000_000],
    ['1 000 000', 1_000_000],
    ['10_000', 10_000],
    ['1e6', 1_000_000],
    ['100,000,000', 100_000_000],
  ])('accepts %s iterations', (text, value) => {
    expect(checkIterations(text)).toEqual({ ok: true, value });
  });

  it.each(['0', '-5', '100,000,001', '1.5', 'abc', '', '1e9', '0x10'])(
    'refuses %j iterations with a message',
    (text) => {
      const checked = checkIterations(text);
      expect(checked.ok).toBe(false);
      expect(!checked.ok && checked.message).toMatch(/Iterations must/);
    },
  );

  it('takes seeds from 0 to 2^32 - 1 (the Philox key word)', () => {
    expect(checkSeed('0')).toEqual({ ok: true, value: 0 });
    expect(checkSeed('4,294,967,295')).toEqual({ ok: true, value: 4_294_967_295 });
    expect(checkSeed('4294967296').ok).toBe(false);
    expect(checkSeed('-1').ok).toBe(false);
    expect(checkSeed('seven').ok).toBe(false);
  });
});
