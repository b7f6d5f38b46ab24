import { z } from 'zod';
import { bannerLevelOf } from './markings/banner';

/** Site configuration: what an admin sets for a workstation. Unknown keys are refused (typos must not pass silently). */
export const SiteConfigSchema = z
  .object({
    siteName: z.string().trim().min(1).max(120),
    systemHigh: z
      .string()
      .min(1)
      .max(300)
      .superRefine((value, ctx) => {
        try {
          bannerLevelOf(value);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
        }
      }),
    consent: z
      .object({
        title: z.string().trim().min(1).max(200),
        text: z.string().trim().min(1).max(20_000),
      })
      .strict()
      .optional(),
    pkcs11Modules: z.array(z.string().min(1).max(4096)).max(16),
  })
  .strict();

export type SiteConfig = z.infer<typeof SiteConfigSchema>;

/** A partial override file: only the keys present replace the defaults. */
export const SiteConfigOverrideSchema = SiteConfigSchema.partial().strict();
export type SiteConfigOverride = z.infer<typeof SiteConfigOverrideSchema>;
