import { z } from 'zod';
import { LEVELS } from '../../markings/levels';
import { NoArguments, Sha256Hex, type ChannelGroup } from '../channel';

export const SystemInfoSchema = z
  .object({
    app: z.object({ name: z.string().max(64), version: z.string().max(64) }).strict(),
    site: z
      .object({ name: z.string().max(120), systemHigh: z.string().max(500), bannerLevel: z.enum(LEVELS) })
      .strict(),
    /** The demonstration workstation (docs/demo.md): the renderer shows its strip on every screen. */
    demo: z.boolean(),
    consent: z
      .object({
        id: Sha256Hex,
        title: z.string().max(200),
        text: z.string().max(20_000),
        acknowledgedAt: z.string().max(64).nullable(),
      })
      .strict(),
  })
  .strict();

export const HealthCheckSchema = z
  .object({ name: z.string().max(64), ok: z.boolean(), detail: z.string().max(1024) })
  .strict();

export const SystemHealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    uptimeSeconds: z.number().nonnegative(),
    checks: z.array(HealthCheckSchema).max(64),
  })
  .strict();

/** system.*: the app and site, the notice-and-consent banner, health. */
export const systemChannels = {
  info: { request: NoArguments, response: SystemInfoSchema, requiresConsent: false, access: 'public' },
  acknowledgeConsent: {
    request: z.object({ consentId: Sha256Hex }).strict(),
    response: z.object({ acknowledgedAt: z.string().max(64) }).strict(),
    requiresConsent: false,
    access: 'public',
  },
  health: { request: NoArguments, response: SystemHealthSchema, requiresConsent: true, access: 'public' },
} as const satisfies ChannelGroup;
