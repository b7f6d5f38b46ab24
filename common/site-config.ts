import { z } from 'zod';
import { createPolicy, MarkingPolicySettingsSchema, type MarkingPolicy } from './markings/policy';
import { parseMarking } from './markings/parse';
import type { Marking } from './markings/model';

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
  })
  .strict();

/** Site configuration: what an admin sets for a workstation. Unknown keys are refused (typos must not pass silently). */
export const SiteConfigSchema = SiteConfigFields.superRefine((config, ctx) => {
  const parsed = parseMarking(config.systemHigh, createPolicy(config.markings));
  if (!parsed.ok) {
    for (const issue of parsed.issues) {
      ctx.addIssue({ code: 'custom', path: ['systemHigh'], message: issue.token ? `"${issue.token}" at ${issue.position}: ${issue.message}` : issue.message });
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
