import { BANNER_PALETTE, type BannerLevel, type BannerPalette } from './levels';

/** SCI control systems whose presence on a TOP SECRET banner selects the TS//SCI color. */
const SCI_CONTROL_SYSTEMS = ['SCI', 'SI', 'TK', 'HCS', 'KDK', 'RSV', 'BUR'];

const CLASSIFICATION_WORDS: ReadonlyArray<readonly [string, BannerLevel]> = [
  ['UNCLASSIFIED', 'UNCLASSIFIED'],
  ['CONTROLLED', 'CUI'],
  ['CUI', 'CUI'],
  ['CONFIDENTIAL', 'CONFIDENTIAL'],
  ['SECRET', 'SECRET'],
  ['TOP SECRET', 'TOP SECRET'],
];

export interface BannerStyle extends BannerPalette {
  level: BannerLevel;
  text: string;
}

export class BannerMarkingError extends Error {
  override name = 'BannerMarkingError';
}

/**
 * The banner level of a spelled-out banner line, e.g. "SECRET//NOFORN" or "TOP SECRET//SI/TK//NOFORN".
 * Throws BannerMarkingError for anything that does not start with a classification, so a typo in
 * site config can never fall back to a lower-looking banner.
 */
export function bannerLevelOf(marking: string): BannerLevel {
  const text = marking.trim();
  if (text !== text.toUpperCase()) throw new BannerMarkingError(`Banner markings are upper case: "${text}"`);
  const segments = text.split('//').map((s) => s.trim());
  const first = segments[0] ?? '';
  const match = CLASSIFICATION_WORDS.find(([word]) => first === word || (word === 'CONTROLLED' && first === 'CONTROLLED UNCLASSIFIED INFORMATION'));
  if (!match) {
    throw new BannerMarkingError(
      `"${first}" is not a classification: a banner starts with UNCLASSIFIED, CUI, CONFIDENTIAL, SECRET or TOP SECRET`,
    );
  }
  const level = match[1];
  if (level !== 'TOP SECRET') return level;
  const sci = segments.slice(1).some((segment) =>
    segment.split('/').some((token) => SCI_CONTROL_SYSTEMS.includes(token.split('-')[0] ?? '')),
  );
  return sci ? 'TOP SECRET//SCI' : 'TOP SECRET';
}

export function bannerStyle(marking: string): BannerStyle {
  const level = bannerLevelOf(marking);
  return { level, text: marking.trim(), ...BANNER_PALETTE[level] };
}
