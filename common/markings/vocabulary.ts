import type { Classification, DissemFlag } from './model';

/** Classification words: banner title, portion abbreviation. */
export const CLASSIFICATIONS: ReadonlyArray<{ code: Classification; title: string; abbrev: string }> = [
  { code: 'U', title: 'UNCLASSIFIED', abbrev: 'U' },
  { code: 'C', title: 'CONFIDENTIAL', abbrev: 'C' },
  { code: 'S', title: 'SECRET', abbrev: 'S' },
  { code: 'TS', title: 'TOP SECRET', abbrev: 'TS' },
];

/**
 * Dissemination controls in CAPCO Register order (which is also canonical banner order), with the
 * banner title and portion abbreviation. `scope` says which markings may carry them: classified
 * US markings ('us', which includes UNCLASSIFIED), CUI, or both.
 */
export interface DissemSpec {
  flag: DissemFlag;
  title: string;
  abbrev: string;
  aliases: string[];
  scope: 'us' | 'cui' | 'both';
}

export const DISSEM_CONTROLS: readonly DissemSpec[] = [
  { flag: 'RSEN', title: 'RSEN', abbrev: 'RS', aliases: ['RISK SENSITIVE'], scope: 'us' },
  { flag: 'FOUO', title: 'FOUO', abbrev: 'FOUO', aliases: ['FOR OFFICIAL USE ONLY'], scope: 'us' },
  { flag: 'ORCON', title: 'ORCON', abbrev: 'OC', aliases: ['ORIGINATOR CONTROLLED'], scope: 'us' },
  { flag: 'IMCON', title: 'IMCON', abbrev: 'IMC', aliases: ['CONTROLLED IMAGERY'], scope: 'us' },
  { flag: 'NOFORN', title: 'NOFORN', abbrev: 'NF', aliases: ['NOT RELEASABLE TO FOREIGN NATIONALS'], scope: 'both' },
  { flag: 'PROPIN', title: 'PROPIN', abbrev: 'PR', aliases: ['CAUTION-PROPRIETARY INFORMATION INVOLVED'], scope: 'us' },
  { flag: 'RELIDO', title: 'RELIDO', abbrev: 'RELIDO', aliases: [], scope: 'us' },
  { flag: 'FISA', title: 'FISA', abbrev: 'FISA', aliases: [], scope: 'us' },
  { flag: 'FEDCON', title: 'FEDCON', abbrev: 'FEDCON', aliases: [], scope: 'cui' },
  { flag: 'NOCON', title: 'NOCON', abbrev: 'NOCON', aliases: [], scope: 'cui' },
  { flag: 'DL ONLY', title: 'DL ONLY', abbrev: 'DL ONLY', aliases: [], scope: 'cui' },
];

/** Canonical order of the dissemination category, REL TO and DISPLAY ONLY included. */
export const DISSEM_ORDER: readonly string[] = [
  'RSEN',
  'FOUO',
  'ORCON',
  'IMCON',
  'NOFORN',
  'PROPIN',
  'REL TO',
  'RELIDO',
  'FISA',
  'FEDCON',
  'NOCON',
  'DL ONLY',
  'DISPLAY ONLY',
];

/** Atomic Energy Act markings. */
export const AEA_TITLES = {
  RD: 'RESTRICTED DATA',
  FRD: 'FORMERLY RESTRICTED DATA',
  CNWDI: 'CRITICAL NUCLEAR WEAPON DESIGN INFORMATION',
} as const;

/** SCI control systems published in the CAPCO Register. Sites may add their own in site config. */
export const DEFAULT_SCI_SYSTEMS: readonly string[] = ['HCS', 'KDK', 'RSV', 'SI', 'TK'];

/** SCI control systems that can never be released to foreign nationals. */
export const NOFORN_SCI_SYSTEMS: readonly string[] = ['HCS'];

/** Tetragraphs and their member countries (CAPCO Register, Annex A). */
export const DEFAULT_TETRAGRAPHS: Readonly<Record<string, readonly string[]>> = {
  ACGU: ['AUS', 'CAN', 'GBR', 'USA'],
  FVEY: ['AUS', 'CAN', 'GBR', 'NZL', 'USA'],
  NATO: [
    'ALB',
    'BEL',
    'BGR',
    'CAN',
    'CZE',
    'DEU',
    'DNK',
    'ESP',
    'EST',
    'FIN',
    'FRA',
    'GBR',
    'GRC',
    'HRV',
    'HUN',
    'ISL',
    'ITA',
    'LTU',
    'LUX',
    'LVA',
    'MKD',
    'MNE',
    'NLD',
    'NOR',
    'POL',
    'PRT',
    'ROU',
    'SVK',
    'SVN',
    'SWE',
    'TUR',
    'USA',
  ],
};
