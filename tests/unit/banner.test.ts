import { describe, expect, it } from 'vitest';
import { bannerLevelOf, bannerStyle, BannerMarkingError } from '../../common/markings/banner';

describe('banner style', () => {
  it.each([
    ['UNCLASSIFIED', 'UNCLASSIFIED', '#007a33', '#ffffff'],
    ['UNCLASSIFIED//FOR OFFICIAL USE ONLY', 'UNCLASSIFIED', '#007a33', '#ffffff'],
    ['CUI', 'CUI', '#502b85', '#ffffff'],
    ['CUI//SP-PRVCY//FEDCON', 'CUI', '#502b85', '#ffffff'],
    ['CONFIDENTIAL', 'CONFIDENTIAL', '#0033a0', '#ffffff'],
    ['SECRET', 'SECRET', '#c8102e', '#ffffff'],
    ['SECRET//NOFORN', 'SECRET', '#c8102e', '#ffffff'],
    ['TOP SECRET', 'TOP SECRET', '#ff8c00', '#000000'],
    ['TOP SECRET//NOFORN', 'TOP SECRET', '#ff8c00', '#000000'],
    ['TOP SECRET//SCI', 'TOP SECRET//SCI', '#fce83a', '#000000'],
    ['TOP SECRET//SI-G/TK//RELIDO', 'TOP SECRET//SCI', '#fce83a', '#000000'],
    ['TOP SECRET//HCS-P//NOFORN', 'TOP SECRET//SCI', '#fce83a', '#000000'],
  ])('%s → %s on %s with %s text', (marking, level, background, foreground) => {
    expect(bannerStyle(marking)).toEqual({ level, text: marking, background, foreground });
  });

  it.each(['', 'SECRT', 'secret', 'S//NF', 'RESTRICTED', 'NOFORN//SECRET', 'TOP  SECRET'])('refuses "%s" rather than guessing', (marking) => {
    expect(() => bannerLevelOf(marking)).toThrow(BannerMarkingError);
  });
});
