import { describe, expect, it } from 'vitest';
import {
  createPolicy,
  dominates,
  MarkingRollupError,
  fitsDestination,
  formatBanner,
  parseMarkingOrThrow,
  rollup,
  withinSystemHigh,
} from '../../../common/markings';

const m = (text: string) => parseMarkingOrThrow(text);
const banner = (...portions: string[]) => formatBanner(rollup(portions.map(m)));

describe('roll-up of portions into a banner', () => {
  it.each([
    [['(U)'], 'UNCLASSIFIED'],
    [['(U)', '(U//FOUO)'], 'UNCLASSIFIED//FOUO'],
    [['(C)', '(S)', '(U)'], 'SECRET//NOFORN'],
    [['(S//REL TO USA, GBR)', '(U)'], 'SECRET//REL TO USA, GBR'],
    [['(S//REL TO USA, GBR, AUS)', '(S//REL TO USA, GBR, CAN)'], 'SECRET//REL TO USA, GBR'],
    [['(S//REL TO USA, AUS)', '(S//REL TO USA, GBR)'], 'SECRET//NOFORN'],
    [['(S//REL TO USA, FVEY)', '(S//REL TO USA, GBR, DEU)'], 'SECRET//REL TO USA, GBR'],
    [['(S//REL TO USA, FVEY)', '(C//REL TO USA, FVEY)'], 'SECRET//REL TO USA, FVEY'],
    [['(S//REL TO USA, FVEY)', '(S//REL TO USA, NATO)'], 'SECRET//REL TO USA, CAN, GBR'],
    [['(S//REL TO USA, GBR)', '(S)'], 'SECRET//NOFORN'],
    [['(S//REL TO USA, GBR)', '(U//NF)'], 'SECRET//NOFORN'],
    [['(S//NF)', '(S//REL TO USA, GBR)'], 'SECRET//NOFORN'],
    [['(S//REL TO USA, GBR/RELIDO)', '(S//REL TO USA, GBR/RELIDO)'], 'SECRET//REL TO USA, GBR/RELIDO'],
    [['(S//REL TO USA, GBR/RELIDO)', '(S//REL TO USA, GBR)'], 'SECRET//REL TO USA, GBR'],
    [['(S//RELIDO)', '(U)'], 'SECRET//RELIDO'],
    [['(S//RELIDO)', '(S//REL TO USA, AUS)'], 'SECRET//REL TO USA, AUS'],
    [['(S//OC/NF)', '(S//REL TO USA, GBR)'], 'SECRET//ORCON/NOFORN'],
    [['(S//IMC/REL TO USA, GBR)', '(S//PR/REL TO USA, GBR)'], 'SECRET//IMCON/PROPIN/REL TO USA, GBR'],
    [['(S//FISA/NF)', '(U)'], 'SECRET//NOFORN/FISA'],
    [['(TS//SI//NF)', '(TS//TK//NF)', '(S//NF)'], 'TOP SECRET//SI/TK//NOFORN'],
    [['(TS//SI//NF)', '(TS//SI-G//NF)'], 'TOP SECRET//SI-G//NOFORN'],
    [['(TS//SI-G ABCD//NF)', '(TS//SI-G EFGH-ECI XYZ//NF)'], 'TOP SECRET//SI-ECI XYZ-G ABCD EFGH//NOFORN'],
    [['(TS//HCS-P//NF)', '(TS//SI//REL TO USA, GBR)'], 'TOP SECRET//HCS-P/SI//NOFORN'],
    [['(S//SAR-BRAVO//NF)', '(S//SAR-ALPHA//NF)'], 'SECRET//SAR-ALPHA/SAR-BRAVO//NOFORN'],
    [['(S//FRD)', '(S//RD)'], 'SECRET//RESTRICTED DATA//NOFORN'],
    [['(S//FRD)', '(C//FRD)'], 'SECRET//FORMERLY RESTRICTED DATA//NOFORN'],
    [['(S//RD-CNWDI)', '(S//FRD)'], 'SECRET//RESTRICTED DATA-CRITICAL NUCLEAR WEAPON DESIGN INFORMATION//NOFORN'],
    [['(S//FGI GBR//NF)', '(S//FGI DEU//NF)'], 'SECRET//FGI DEU GBR//NOFORN'],
    [['(S//FGI GBR//NF)', '(C//FGI//NF)'], 'SECRET//FGI//NOFORN'],
    [['(S//DISPLAY ONLY IRQ)', '(S//DISPLAY ONLY IRQ, AFG)'], 'SECRET//DISPLAY ONLY IRQ'],
    [
      ['(S//REL TO USA, GBR/DISPLAY ONLY IRQ)', '(S//REL TO USA, GBR, IRQ)'],
      'SECRET//REL TO USA, GBR/DISPLAY ONLY IRQ',
    ],
    [['(S//REL TO USA, GBR)', '(U//FOUO)'], 'SECRET//REL TO USA, GBR'],
    [['(CUI)', '(U)'], 'CUI'],
    [['(CUI//SP-PRVCY)', '(CUI//SP-CTI//FEDCON)'], 'CUI//SP-CTI/SP-PRVCY//FEDCON'],
    [['(CUI//NF)', '(CUI//REL TO USA, CAN)'], 'CUI//NOFORN'],
    [['(CUI//REL TO USA, CAN, GBR)', '(CUI//REL TO USA, CAN)'], 'CUI//REL TO USA, CAN'],
    [['(CUI//SP-PRVCY//FEDCON)', '(S//REL TO USA, GBR)'], 'SECRET//REL TO USA, GBR'],
    [['(CUI//NF)', '(S//REL TO USA, GBR)'], 'SECRET//NOFORN'],
    [['(U//FOUO)', '(CUI)'], 'CUI'],
    [['(U//RS)', '(CUI)', '(S)'], 'SECRET//RSEN/NOFORN'],
  ])('%j → %s', (portions, expected) => {
    expect(banner(...portions)).toBe(expected);
  });

  it('refuses unclassified CUI beside legacy US-only controls, naming them', () => {
    expect(() => banner('(U//RS)', '(CUI//SP-PRVCY)')).toThrow(MarkingRollupError);
    expect(() => banner('(U//PR/OC)', '(U//FOUO)', '(CUI)')).toThrow(
      /legacy controls ORCON, PROPIN: re-mark those portions under CUI/,
    );
  });

  it('an empty document is UNCLASSIFIED', () => {
    expect(formatBanner(rollup([]))).toBe('UNCLASSIFIED');
  });
});

describe('dominance', () => {
  it.each([
    ['SECRET', 'CONFIDENTIAL', true],
    ['CONFIDENTIAL', 'SECRET', false],
    ['SECRET//NOFORN', 'SECRET//REL TO USA, GBR', true],
    ['CUI', 'UNCLASSIFIED//FOUO', true],
    ['UNCLASSIFIED//FOUO', 'CUI', false],
    ['SECRET//REL TO USA, GBR', 'SECRET//NOFORN', false],
    ['SECRET//REL TO USA, GBR', 'SECRET//REL TO USA, GBR, AUS', true],
    ['SECRET//REL TO USA, GBR, AUS', 'SECRET//REL TO USA, GBR', false],
    ['SECRET//REL TO USA, GBR', 'SECRET//REL TO USA, FVEY', true],
    ['TOP SECRET//SI-G/TK//NOFORN', 'TOP SECRET//SI//NOFORN', true],
    ['TOP SECRET//SI//NOFORN', 'TOP SECRET//SI-G//NOFORN', false],
    ['TOP SECRET//NOFORN', 'SECRET//SI//NOFORN', false],
    ['SECRET//ORCON/NOFORN', 'SECRET//NOFORN', true],
    ['SECRET//NOFORN', 'SECRET//ORCON/NOFORN', false],
    ['SECRET//RESTRICTED DATA//NOFORN', 'SECRET//FORMERLY RESTRICTED DATA//NOFORN', true],
    ['SECRET//NOFORN', 'UNCLASSIFIED//FOUO', true],
    ['CUI//SP-PRVCY', 'CUI', true],
    ['CUI', 'CUI//SP-PRVCY', false],
    ['SECRET//NOFORN', 'CUI//SP-PRVCY//FEDCON', true],
  ])('%s dominates %s: %s', (a, b, expected) => {
    expect(dominates(m(a), m(b))).toBe(expected);
  });
});

describe('service-side guards', () => {
  it.each([
    ['SECRET//NOFORN', 'SECRET//ORCON/NOFORN', true],
    ['SECRET//NOFORN', 'SECRET//REL TO USA, GBR', true],
    ['SECRET//NOFORN', 'CONFIDENTIAL', true],
    ['SECRET//NOFORN', 'TOP SECRET', false],
    ['SECRET//NOFORN', 'SECRET//SI//NOFORN', false],
    ['TOP SECRET//SI-G/TK//NOFORN', 'TOP SECRET//SI-G ABCD//NOFORN', false],
    ['TOP SECRET//SI-G ABCD/TK//NOFORN', 'TOP SECRET//SI-G ABCD//NOFORN', true],
    ['TOP SECRET//SI//NOFORN', 'SECRET//SAR-ALPHA//NOFORN', false],
    ['SECRET//NOFORN', 'SECRET//RD', false],
    ['UNCLASSIFIED', 'CUI//SP-PRVCY', true],
  ])('a system at %s may hold %s: %s', (high, object, expected) => {
    expect(withinSystemHigh(m(high), m(object))).toBe(expected);
  });

  it('exports only what fits the destination: level, compartments and releasability', () => {
    const gbrNetwork = { name: 'UK partner network', systemHigh: m('SECRET//REL TO USA, GBR'), country: 'GBR' };
    expect(fitsDestination(m('SECRET//REL TO USA, GBR'), gbrNetwork)).toEqual({ fits: true });
    expect(fitsDestination(m('SECRET//REL TO USA, FVEY'), gbrNetwork)).toEqual({ fits: true });
    expect(fitsDestination(m('SECRET//NOFORN'), gbrNetwork)).toEqual({
      fits: false,
      reason: 'the object is not releasable to GBR',
    });
    expect(fitsDestination(m('SECRET//REL TO USA, AUS'), gbrNetwork)).toEqual({
      fits: false,
      reason: 'the object is not releasable to GBR',
    });
    expect(fitsDestination(m('TOP SECRET//REL TO USA, GBR'), gbrNetwork)).toEqual({
      fits: false,
      reason: 'UK partner network is accredited only to a lower classification',
    });
    const usNetwork = { name: 'SIPRNet enclave', systemHigh: m('SECRET//NOFORN'), country: 'USA' };
    expect(fitsDestination(m('SECRET//ORCON/NOFORN'), usNetwork)).toEqual({ fits: true });
    expect(fitsDestination(m('SECRET//SI//NOFORN'), usNetwork)).toMatchObject({
      fits: false,
      reason: expect.stringMatching(/lacks a compartment/),
    });
  });

  it('applies the site policy: controls not in use and site tetragraphs', () => {
    const policy = createPolicy({ controlsInUse: ['NOFORN', 'REL TO'], tetragraphs: { TEYE: ['AUS', 'GBR', 'USA'] } });
    const refused = parseMarkingOrThrow.bind(null, 'SECRET//ORCON/NOFORN', policy);
    expect(refused).toThrow(/ORCON is not in use at this site/);
    expect(() => parseMarkingOrThrow('SECRET//REL TO USA, FVEY', policy)).toThrow(
      /FVEY is not an ISO 3166 trigraph or a tetragraph known to this site/,
    );
    expect(
      formatBanner(
        rollup(
          [
            parseMarkingOrThrow('(S//REL TO USA, TEYE)', policy),
            parseMarkingOrThrow('(S//REL TO USA, GBR, CAN)', policy),
          ],
          policy,
        ),
      ),
    ).toBe('SECRET//REL TO USA, GBR');
  });
});
