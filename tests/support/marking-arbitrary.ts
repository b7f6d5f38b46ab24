import fc from 'fast-check';
import {
  checkMarking,
  DEFAULT_POLICY,
  normalize,
  type Classification,
  type DissemFlag,
  type Marking,
} from '../../common/markings';

const countries = ['AUS', 'CAN', 'GBR', 'NZL', 'DEU', 'FRA', 'JPN', 'IRQ', 'FVEY', 'ACGU', 'NATO'];
const subset = (items: string[], max = 4) => fc.uniqueArray(fc.constantFrom(...items), { maxLength: max });

const sci = fc.uniqueArray(
  fc.record({
    system: fc.constantFrom('SI', 'TK', 'HCS', 'KDK'),
    compartments: fc.uniqueArray(
      fc.record({ name: fc.constantFrom('G', 'P', 'O', 'ECI', 'X1'), subs: subset(['ABC', 'DEF', 'XYZ'], 2) }),
      {
        maxLength: 2,
        selector: (c) => c.name,
      },
    ),
  }),
  { maxLength: 2, selector: (c) => c.system },
);

const usMarking = fc
  .record({
    classification: fc.constantFrom<Classification>('U', 'C', 'S', 'TS'),
    sci,
    sap: subset(['ALPHA', 'BRAVO', 'BUTTERED POPCORN'], 2),
    aea: fc.option(fc.record({ kind: fc.constantFrom<'RD' | 'FRD'>('RD', 'FRD'), cnwdi: fc.boolean() }), { nil: null }),
    fgi: fc.option(fc.record({ countries: subset(['GBR', 'DEU', 'NATO'], 2) }), { nil: null }),
    dissem: subset(['RSEN', 'FOUO', 'ORCON', 'IMCON', 'NOFORN', 'PROPIN', 'RELIDO', 'FISA'], 3) as fc.Arbitrary<
      DissemFlag[]
    >,
    relTo: fc.option(fc.uniqueArray(fc.constantFrom(...countries), { minLength: 1, maxLength: 4 }), { nil: null }),
    displayOnly: fc.option(fc.uniqueArray(fc.constantFrom('IRQ', 'AFG', 'JPN'), { minLength: 1, maxLength: 2 }), {
      nil: null,
    }),
  })
  .map((m): Marking => ({ ...m, cui: null }));

const cuiMarking = fc
  .record({
    categories: subset(['SP-PRVCY', 'SP-CTI', 'PRVCY', 'EXPT', 'PROCURE'], 3),
    dissem: subset(['NOFORN', 'FEDCON', 'NOCON', 'DL ONLY'], 2) as fc.Arbitrary<DissemFlag[]>,
    relTo: fc.option(fc.uniqueArray(fc.constantFrom(...countries), { minLength: 1, maxLength: 3 }), { nil: null }),
  })
  .map((m): Marking => ({
    classification: 'U',
    cui: { categories: m.categories },
    sci: [],
    sap: [],
    aea: null,
    fgi: null,
    dissem: m.dissem,
    relTo: m.relTo,
    displayOnly: null,
  }));

/** Valid markings only: random structures filtered through the same rules the parser applies. */
export const validMarking: fc.Arbitrary<Marking> = fc
  .oneof({ weight: 4, arbitrary: usMarking }, { weight: 1, arbitrary: cuiMarking })
  .map(normalize)
  .filter((m) => checkMarking(m, new Map(), DEFAULT_POLICY).length === 0);
