import { describe, expect, it } from 'vitest';
import { crlFreshness, newestCrl } from '../../../electron/services/identity';

const DAY = 86_400_000;
const now = new Date('2030-06-15T12:00:00Z');
const ago = (days: number) => new Date(now.getTime() - days * DAY);

describe('CRL age', () => {
  it('counts a CRL within the maximum age and before its nextUpdate', () => {
    expect(crlFreshness({ thisUpdate: ago(1), nextUpdate: ago(-6) }, now, 7)).toEqual({ fresh: true });
    expect(crlFreshness({ thisUpdate: ago(7), nextUpdate: ago(-1) }, now, 7)).toEqual({ fresh: true }); // exactly the limit
  });

  it('refuses a CRL more than the maximum age past its thisUpdate, even if its nextUpdate is far ahead', () => {
    expect(crlFreshness({ thisUpdate: ago(8), nextUpdate: ago(-30) }, now, 7)).toEqual({
      fresh: false,
      detail: 'is 8 days old, more than the 7 days this site allows',
    });
    expect(crlFreshness({ thisUpdate: ago(2), nextUpdate: null }, now, 1)).toMatchObject({ fresh: false });
  });

  it('refuses a CRL whose nextUpdate has passed, even within the maximum age', () => {
    expect(crlFreshness({ thisUpdate: ago(3), nextUpdate: ago(1) }, now, 30)).toEqual({
      fresh: false,
      detail: 'expired at its next update on 2030-06-14',
    });
  });

  it('refuses a CRL dated in the future beyond clock skew, and tolerates a few minutes', () => {
    expect(
      crlFreshness({ thisUpdate: new Date(now.getTime() + 60 * 60_000), nextUpdate: ago(-7) }, now, 7),
    ).toMatchObject({ fresh: false, detail: expect.stringContaining('dated in the future') });
    expect(crlFreshness({ thisUpdate: new Date(now.getTime() + 2 * 60_000), nextUpdate: ago(-7) }, now, 7)).toEqual({
      fresh: true,
    });
  });

  it('without a nextUpdate, only the maximum age applies', () => {
    expect(crlFreshness({ thisUpdate: ago(1), nextUpdate: null }, now, 7)).toEqual({ fresh: true });
  });
});

describe('newest CRL', () => {
  it('prefers the higher CRL number, then the later thisUpdate', () => {
    const a = { thisUpdate: ago(2), crlNumber: 5n };
    const b = { thisUpdate: ago(3), crlNumber: 6n };
    const c = { thisUpdate: ago(1), crlNumber: null };
    expect(newestCrl([a, b])).toBe(b);
    expect(newestCrl([a, c])).toBe(c);
    expect(newestCrl([{ thisUpdate: ago(5), crlNumber: null }, a])).toBe(a);
    expect(newestCrl([])).toBeNull();
  });
});
