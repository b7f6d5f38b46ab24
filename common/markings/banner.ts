import { formatBanner } from './format';
import { BANNER_PALETTE, type BannerLevel, type BannerPalette } from './levels';
import type { Marking } from './model';
import { parseMarking } from './parse';
import { DEFAULT_POLICY, type MarkingPolicy } from './marking-policy';

export interface BannerStyle extends BannerPalette {
  level: BannerLevel;
  text: string;
}

export class BannerMarkingError extends Error {
  override name = 'BannerMarkingError';
}

/** The banner color level of a marking: TOP SECRET with any SCI control takes the TS//SCI color. */
export function bannerLevel(m: Marking): BannerLevel {
  if (m.cui) return 'CUI';
  switch (m.classification) {
    case 'U':
      return 'UNCLASSIFIED';
    case 'C':
      return 'CONFIDENTIAL';
    case 'S':
      return 'SECRET';
    case 'TS':
      return m.sci.length > 0 ? 'TOP SECRET//SCI' : 'TOP SECRET';
  }
}

/** Parses a marking and returns its canonical banner text and colors; throws BannerMarkingError if it does not parse. */
export function bannerStyle(marking: string, policy: MarkingPolicy = DEFAULT_POLICY): BannerStyle {
  const parsed = parseMarking(marking, policy);
  if (!parsed.ok) throw new BannerMarkingError(parsed.issues.map((i) => i.message).join('; '));
  const level = bannerLevel(parsed.marking);
  return { level, text: formatBanner(parsed.marking), ...BANNER_PALETTE[level] };
}
