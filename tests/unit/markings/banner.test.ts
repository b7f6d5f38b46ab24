import { describe, expect, it } from 'vitest';
import { bannerStyle, BannerMarkingError } from '../../../common/markings';

describe('banner style', () => {
  it.each([
    ['UNCLASSIFIED', 'UNCLASSIFIED', 'UNCLASSIFIED', '#007a33', '#ffffff'],
    ['U//FOUO', 'UNCLASSIFIED//FOUO', 'UNCLASSIFIED', '#007a33', '#ffffff'],
    ['CUI', 'CUI', 'CUI', '#502b85', '#ffffff'],
    ['CUI//SP-PRVCY//FEDCON', 'CUI//SP-PRVCY//FEDCON', 'CUI', '#502b85', '#ffffff'],
    ['CONFIDENTIAL', 'CONFIDENTIAL', 'CONFIDENTIAL', '#0033a0', '#ffffff'],
    ['SECRET', 'SECRET', 'SECRET', '#c8102e', '#ffffff'],
    ['S//NF', 'SECRET//NOFORN', 'SECRET', '#c8102e', '#ffffff'],
    ['TOP SECRET', 'TOP SECRET', 'TOP SECRET', '#ff8c00', '#000000'],
    ['TOP SECRET//NOFORN', 'TOP SECRET//NOFORN', 'TOP SECRET', '#ff8c00', '#000000'],
    ['TOP SECRET//SI//NOFORN', 'TOP SECRET//SI//NOFORN', 'TOP SECRET//SCI', '#fce83a', '#000000'],
    ['TOP SECRET//SI-G/TK//RELIDO', 'TOP SECRET//SI-G/TK//RELIDO', 'TOP SECRET//SCI', '#fce83a', '#000000'],
    ['TOP SECRET//HCS-P//NOFORN', 'TOP SECRET//HCS-P//NOFORN', 'TOP SECRET//SCI', '#fce83a', '#000000'],
    ['SECRET//SI//NOFORN', 'SECRET//SI//NOFORN', 'SECRET', '#c8102e', '#ffffff'],
  ])('%s → "%s" on the %s colors', (marking, text, level, background, foreground) => {
    expect(bannerStyle(marking)).toEqual({ level, text, background, foreground });
  });

  it.each(['', 'SECRT', 'secret', 'RESTRICTED', 'NOFORN//SECRET', 'TOP  SECRET'])(
    'refuses "%s" rather than guessing',
    (marking) => {
      expect(() => bannerStyle(marking)).toThrow(BannerMarkingError);
    },
  );
});
