/**
 * Classification levels and the standard banner colors (ARCHITECTURE.md, "Markings").
 * The full CAPCO parser arrives with the markings issue; this module owns the levels and palette
 * so the banner and every later feature agree on them.
 */
export const LEVELS = ['UNCLASSIFIED', 'CUI', 'CONFIDENTIAL', 'SECRET', 'TOP SECRET', 'TOP SECRET//SCI'] as const;
export type BannerLevel = (typeof LEVELS)[number];

export interface BannerPalette {
  background: string;
  foreground: string;
}

export const BANNER_PALETTE: Readonly<Record<BannerLevel, BannerPalette>> = {
  UNCLASSIFIED: { background: '#007a33', foreground: '#ffffff' },
  CUI: { background: '#502b85', foreground: '#ffffff' },
  CONFIDENTIAL: { background: '#0033a0', foreground: '#ffffff' },
  SECRET: { background: '#c8102e', foreground: '#ffffff' },
  'TOP SECRET': { background: '#ff8c00', foreground: '#000000' },
  'TOP SECRET//SCI': { background: '#fce83a', foreground: '#000000' },
};
