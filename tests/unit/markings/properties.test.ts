import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkMarking, DEFAULT_POLICY, dominates, formatBanner, formatPortion, parseMarking, rollup } from '../../../common/markings';
import { validMarking } from '../../support/marking-arbitrary';

const runs = { numRuns: 400 };
const banner = formatBanner;

describe('marking properties (fast-check)', () => {
  it('format/parse round-trips, for banners and portions', () => {
    fc.assert(
      fc.property(validMarking, (m) => {
        for (const text of [formatBanner(m), formatPortion(m)]) {
          const parsed = parseMarking(text);
          expect(parsed.ok ? parsed.marking : parsed.issues).toEqual(m);
        }
      }),
      runs,
    );
  });

  it('roll-up yields a valid marking', () => {
    fc.assert(
      fc.property(fc.array(validMarking, { minLength: 1, maxLength: 5 }), (portions) => {
        expect(checkMarking(rollup(portions), new Map(), DEFAULT_POLICY)).toEqual([]);
      }),
      runs,
    );
  });

  it('roll-up is commutative', () => {
    fc.assert(
      fc.property(validMarking, validMarking, (a, b) => {
        expect(banner(rollup([a, b]))).toBe(banner(rollup([b, a])));
      }),
      runs,
    );
  });

  it('roll-up is associative', () => {
    fc.assert(
      fc.property(validMarking, validMarking, validMarking, (a, b, c) => {
        expect(banner(rollup([rollup([a, b]), c]))).toBe(banner(rollup([a, rollup([b, c])])));
      }),
      runs,
    );
  });

  it('roll-up is idempotent', () => {
    fc.assert(
      fc.property(validMarking, (a) => {
        expect(banner(rollup([a, a]))).toBe(banner(rollup([a])));
        expect(banner(rollup([rollup([a])]))).toBe(banner(rollup([a])));
      }),
      runs,
    );
  });

  it('the roll-up dominates every portion', () => {
    fc.assert(
      fc.property(fc.array(validMarking, { minLength: 1, maxLength: 5 }), (portions) => {
        const top = rollup(portions);
        for (const portion of portions) expect(dominates(top, portion), `${banner(top)} over ${formatPortion(portion)}`).toBe(true);
      }),
      runs,
    );
  });

  it('dominance is reflexive and antisymmetric on canonical markings', () => {
    fc.assert(
      fc.property(validMarking, validMarking, (a, b) => {
        expect(dominates(a, a)).toBe(true);
        if (dominates(a, b) && dominates(b, a)) expect(banner(rollup([a]))).toBe(banner(rollup([b])));
      }),
      runs,
    );
  });
});
