import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkMarking,
  DEFAULT_POLICY,
  dominates,
  formatBanner,
  formatPortion,
  MarkingRollupError,
  parseMarking,
  rollup,
  type Marking,
} from '../../../common/markings';
import { validMarking } from '../../support/marking-arbitrary';

const runs = { numRuns: Number(process.env.FC_RUNS ?? 400) };
const banner = formatBanner;

/**
 * Unclassified CUI portions beside legacy US-only controls: the roll-up that must be refused.
 * RELIDO conflicts only when it survives the roll-up, so it may conflict but need not.
 */
const LEGACY = ['RSEN', 'ORCON', 'IMCON', 'PROPIN', 'FISA'];
const unclassifiedCui = (portions: readonly Marking[]) =>
  portions.every((p) => p.classification === 'U') && portions.some((p) => p.cui);
function mustConflict(portions: readonly Marking[]): boolean {
  return unclassifiedCui(portions) && portions.some((p) => p.dissem.some((f) => LEGACY.includes(f)));
}
function mayConflict(portions: readonly Marking[]): boolean {
  return mustConflict(portions) || (unclassifiedCui(portions) && portions.some((p) => p.dissem.includes('RELIDO')));
}

/** The roll-up's banner, or 'conflict' when it is refused; any other error fails the test. */
function rolledBanner(portions: readonly Marking[]): string {
  try {
    return banner(rollup(portions));
  } catch (error) {
    if (error instanceof MarkingRollupError) return 'conflict';
    throw error;
  }
}

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
        const refused = rolledBanner(portions) === 'conflict';
        if (mustConflict(portions)) expect(refused).toBe(true);
        if (refused) expect(mayConflict(portions)).toBe(true);
        else expect(checkMarking(rollup(portions), new Map(), DEFAULT_POLICY)).toEqual([]);
      }),
      runs,
    );
  });

  it('roll-up is commutative', () => {
    fc.assert(
      fc.property(validMarking, validMarking, (a, b) => {
        expect(rolledBanner([a, b])).toBe(rolledBanner([b, a]));
      }),
      runs,
    );
  });

  it('roll-up is associative', () => {
    fc.assert(
      fc.property(validMarking, validMarking, validMarking, (a, b, c) => {
        // A refused inner roll-up has no banner to roll further; otherwise grouping must not matter.
        if (mayConflict([a, b]) || mayConflict([b, c])) return;
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
        if (rolledBanner(portions) === 'conflict') return;
        const top = rollup(portions);
        for (const portion of portions)
          expect(dominates(top, portion), `${banner(top)} over ${formatPortion(portion)}`).toBe(true);
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
