import { z } from 'zod';
import { createPolicy, MarkingPolicySettingsSchema, type MarkingPolicy } from '../markings/marking-policy';
import { parseMarking } from '../markings/parse';
import { AuthorityBlockSchema } from '../report/report-definition';
import { BundleSettingsSchema } from '../bundle/bundle-settings';
import type { Marking } from '../markings/model';

/**
 * Certificate policies a PIV Authentication (9A) certificate may assert to log in: any one of them.
 * Sources (docs/identity.md): FPKI Common Policy id-fpki-common-authentication; the DoD PIV-Auth
 * policies of the DoD X.509 CP; and id-US-dod-mediumHardware-112/128/192, which DoD ID CAs assert on
 * CAC PIV Authentication certificates (GSA FPKI CITE guide, appendix A, lists the production OIDs).
 */
export const DEFAULT_AUTHENTICATION_POLICIES = [
  '2.16.840.1.101.3.2.1.3.13', // id-fpki-common-authentication
  '2.16.840.1.101.2.1.11.10', // id-US-dod-PIV-Auth
  '2.16.840.1.101.2.1.11.20', // id-US-dod-PIV-Auth-2048
  '2.16.840.1.101.2.1.11.42', // id-US-dod-mediumHardware-112
  '2.16.840.1.101.2.1.11.43', // id-US-dod-mediumHardware-128
  '2.16.840.1.101.2.1.11.44', // id-US-dod-mediumHardware-192
] as const;

/**
 * Card Authentication (9E) policies: a certificate usable without the PIN. Never accepted for login,
 * whatever the site lists, and refused with their own message.
 */
export const CARD_AUTHENTICATION_POLICIES = [
  '2.16.840.1.101.3.2.1.3.17', // id-fpki-common-cardAuth
  '2.16.840.1.101.3.2.1.3.19', // id-fpki-certpcy-pivi-cardAuth (FBCA)
  '2.16.840.1.101.3.2.1.3.46', // id-fpki-common-pivi-cardAuth
  '2.16.840.1.101.3.2.1.12.7', // id-eca-cardauth-pivi
] as const;

const Oid = z
  .string()
  .regex(/^[0-2](\.(0|[1-9][0-9]*))+$/, 'expected an OID in dotted decimal (e.g. 2.16.840.1.101.3.2.1.3.13)');

/** How a card's certificate is authenticated: docs/identity.md. Every key has a default. */
export const IdentitySettingsSchema = z
  .object({
    /** The 9A certificate must assert one of these certificate policies (through a valid policy path). */
    authenticationPolicies: z
      .array(Oid)
      .min(1)
      .max(64)
      .refine(
        (oids) => !oids.some((oid) => (CARD_AUTHENTICATION_POLICIES as readonly string[]).includes(oid)),
        'card-authentication policies can never log anyone in',
      )
      .default([...DEFAULT_AUTHENTICATION_POLICIES]),
    /** A CRL counts for this many days after its thisUpdate (and never after its nextUpdate). */
    maxCrlAgeDays: z.number().positive().max(365).default(7),
    /** No current CRL for a certificate in the path: refuse the login (fail closed), or allow it with a warning. */
    revocationUnavailable: z.enum(['refuse', 'warn']).default('refuse'),
  })
  .strict();

export type IdentitySettings = z.infer<typeof IdentitySettingsSchema>;

/** The login session (docs/login.md): idle lock and how often the card's slot is polled. */
export const SessionSettingsSchema = z
  .object({
    /** Lock after this many minutes without activity; unlocking needs the PIN again. */
    idleLockMinutes: z
      .number()
      .positive()
      .max(24 * 60)
      .default(15),
    /** How often the card's slot is polled. Kept at or under 1.5 s so a removal locks within 2 s. */
    cardPollMs: z.number().int().min(100).max(1500).default(500),
  })
  .strict();

export type SessionSettings = z.infer<typeof SessionSettingsSchema>;

/** Site defaults for reports: docs/admin-guide.md. */
export const ReportSettingsSchema = z
  .object({
    /** Classified By, Derived From, Declassify On for page 1 of a classified report without its own. */
    authority: AuthorityBlockSchema.optional(),
  })
  .strict();

const SiteConfigFields = z
  .object({
    siteName: z.string().trim().min(1).max(120),
    /** The highest marking this workstation may hold, as a banner line (e.g. SECRET//NOFORN). */
    systemHigh: z.string().min(1).max(300),
    consent: z
      .object({
        title: z.string().trim().min(1).max(200),
        text: z.string().trim().min(1).max(20_000),
      })
      .strict()
      .optional(),
    pkcs11Modules: z.array(z.string().min(1).max(4096)).max(16),
    /** Which marking controls, SCI systems, country codes and tetragraphs this site uses. */
    markings: MarkingPolicySettingsSchema.optional(),
    /** Card certificate validation: accepted policies, CRL age, fail closed or warn. */
    identity: IdentitySettingsSchema.prefault({}),
    /** Idle lock minutes and card poll interval. */
    session: SessionSettingsSchema.prefault({}),
    /** Reports (docs/reports.md): the classification authority block a classified report carries when its analyst gives none. */
    reports: ReportSettingsSchema.optional(),
    /** Export bundles (docs/bundle-format.md): this network's name, destination profiles, signer policies, import limits. */
    bundles: BundleSettingsSchema.prefault({}),
  })
  .strict();

/** Site configuration: what an admin sets for a workstation. Unknown keys are refused (typos must not pass silently). */
export const SiteConfigSchema = SiteConfigFields.superRefine((config, ctx) => {
  const parsed = parseMarking(config.systemHigh, createPolicy(config.markings));
  if (!parsed.ok) {
    for (const issue of parsed.issues) {
      ctx.addIssue({
        code: 'custom',
        path: ['systemHigh'],
        message: issue.token ? `"${issue.token}" at ${issue.position}: ${issue.message}` : issue.message,
      });
    }
  }
});

export type SiteConfig = z.infer<typeof SiteConfigSchema>;

/** A partial override file: only the keys present replace the defaults. */
export const SiteConfigOverrideSchema = SiteConfigFields.partial().strict();
export type SiteConfigOverride = z.infer<typeof SiteConfigOverrideSchema>;

/** The site's marking policy and parsed system high (the config has been validated, so this parses). */
export function siteMarkings(config: SiteConfig): { policy: MarkingPolicy; systemHigh: Marking } {
  const policy = createPolicy(config.markings);
  const parsed = parseMarking(config.systemHigh, policy);
  if (!parsed.ok) throw new Error('site config was not validated');
  return { policy, systemHigh: parsed.marking };
}
