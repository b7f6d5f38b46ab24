import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, dominates, parseMarkingOrThrow } from '../../../common/markings';
import { bannerRaises } from '../../../renderer/features/reports/banner-raises';

const high = (text: string) => parseMarkingOrThrow(text, DEFAULT_POLICY);

describe('the banner raise picker’s choices', () => {
  it('offers the roll-up first, then only raises of it within the system high', () => {
    expect(bannerRaises('CONFIDENTIAL', high('TOP SECRET'), DEFAULT_POLICY)).toEqual([
      'CONFIDENTIAL',
      'SECRET',
      'TOP SECRET',
    ]);
    expect(bannerRaises('CONFIDENTIAL', high('SECRET'), DEFAULT_POLICY)).toEqual(['CONFIDENTIAL', 'SECRET']);
  });

  it('never offers a banner below the roll-up: every choice dominates it, controls kept', () => {
    const choices = bannerRaises('SECRET//NOFORN', high('TOP SECRET//NOFORN'), DEFAULT_POLICY);
    expect(choices).toEqual(['SECRET//NOFORN', 'TOP SECRET//NOFORN']);
    for (const choice of choices) expect(dominates(high(choice), high('SECRET//NOFORN'), DEFAULT_POLICY)).toBe(true);
    expect(choices).not.toContain('CONFIDENTIAL');
    expect(choices).not.toContain('UNCLASSIFIED');
  });

  it('offers only the roll-up at the system high, and nothing for a marking that does not parse', () => {
    expect(bannerRaises('SECRET', high('SECRET'), DEFAULT_POLICY)).toEqual(['SECRET']);
    expect(bannerRaises('SEKRIT', high('SECRET'), DEFAULT_POLICY)).toEqual([]);
  });
});
