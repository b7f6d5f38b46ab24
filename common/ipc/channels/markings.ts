import { z } from 'zod';
import { LEVELS } from '../../markings/levels';
import { MarkingPolicySettingsSchema } from '../../markings/marking-policy';
import { NoArguments, type ChannelGroup } from '../channel';

export const MarkingCheckSchema = z
  .object({ banner: z.string().max(500), portion: z.string().max(500), bannerLevel: z.enum(LEVELS) })
  .strict();

/** markings.*: the site's marking policy and the service-side marking check. */
export const markingsChannels = {
  /** The site's marking policy (controls in use, SCI systems, extra country codes, tetragraphs) and system high. */
  policy: {
    request: NoArguments,
    response: z.object({ systemHigh: z.string().max(500), settings: MarkingPolicySettingsSchema.required() }).strict(),
    requiresConsent: true,
    access: 'public',
  },
  /**
   * Validates a marking against the site's policy and system high, as the store will before it
   * keeps anything: INVALID_ARGUMENT names the token and position, ABOVE_SYSTEM_HIGH refuses it.
   */
  check: {
    request: z.object({ marking: z.string().min(1).max(500) }).strict(),
    response: MarkingCheckSchema,
    requiresConsent: true,
    access: 'public',
  },
} as const satisfies ChannelGroup;
