import { z } from 'zod';
import { ISO_3166_TRIGRAPHS } from './countries';
import { DEFAULT_SCI_SYSTEMS, DEFAULT_TETRAGRAPHS, DISSEM_CONTROLS } from './vocabulary';

/** Every control a site can switch on or off: the marking categories and each dissemination control. */
export const ALL_CONTROLS = [
  'CUI',
  'SCI',
  'SAP',
  'AEA',
  'FGI',
  ...DISSEM_CONTROLS.map((d) => d.flag),
  'REL TO',
  'DISPLAY ONLY',
] as const;
export type ControlName = (typeof ALL_CONTROLS)[number];

/** What a site's configuration may say about markings (the `markings` key of site config). */
export const MarkingPolicySettingsSchema = z
  .object({
    /** Controls in use at this site; markings using any other are refused. Default: all. */
    controlsInUse: z.array(z.enum(ALL_CONTROLS)).max(ALL_CONTROLS.length).optional(),
    /** SCI control systems in use. Default: HCS, KDK, RSV, SI, TK. */
    sciSystems: z
      .array(z.string().regex(/^[A-Z]{1,6}$/))
      .max(32)
      .optional(),
    /** Codes to accept besides the ISO 3166 trigraphs (e.g. a new country). */
    extraCountryCodes: z
      .array(z.string().regex(/^[A-Z]{3}$/))
      .max(64)
      .optional(),
    /** Tetragraphs and their members, replacing the defaults (ACGU, FVEY, NATO). */
    tetragraphs: z
      .record(
        z.string().regex(/^[A-Z]{4}$/),
        z
          .array(z.string().regex(/^[A-Z]{3}$/))
          .min(1)
          .max(64),
      )
      .optional(),
  })
  .strict();
export type MarkingPolicySettings = z.infer<typeof MarkingPolicySettingsSchema>;

export interface MarkingPolicy {
  controlsInUse: ReadonlySet<string>;
  sciSystems: ReadonlySet<string>;
  countries: ReadonlySet<string>;
  tetragraphs: Readonly<Record<string, readonly string[]>>;
}

export function createPolicy(settings: MarkingPolicySettings = {}): MarkingPolicy {
  return {
    controlsInUse: new Set(settings.controlsInUse ?? ALL_CONTROLS),
    sciSystems: new Set(settings.sciSystems ?? DEFAULT_SCI_SYSTEMS),
    countries: new Set([...ISO_3166_TRIGRAPHS.map(([code]) => code), ...(settings.extraCountryCodes ?? [])]),
    tetragraphs: settings.tetragraphs ?? DEFAULT_TETRAGRAPHS,
  };
}

export const DEFAULT_POLICY: MarkingPolicy = createPolicy();

/** Trigraphs alphabetically, then tetragraphs alphabetically (CAPCO order after USA). */
export function sortCountryCodes(codes: Iterable<string>): string[] {
  return [...new Set(codes)].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
}
