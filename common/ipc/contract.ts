import { z } from 'zod';
import { LEVELS } from '../markings/levels';
import { MarkingPolicySettingsSchema } from '../markings/policy';

/**
 * The IPC contract: every channel the renderer may call, with a zod schema for its request and its
 * response. Requests are strict (extra fields are refused) and every string has a maximum length.
 * `requiresConsent` channels are refused by the service until the notice-and-consent banner is
 * acknowledged in this session.
 */
const NoArguments = z.object({}).strict();

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 hex digest');

export const SystemInfoSchema = z
  .object({
    app: z.object({ name: z.string().max(64), version: z.string().max(64) }).strict(),
    site: z.object({ name: z.string().max(120), systemHigh: z.string().max(500), bannerLevel: z.enum(LEVELS) }).strict(),
    consent: z
      .object({ id: Sha256Hex, title: z.string().max(200), text: z.string().max(20_000), acknowledgedAt: z.string().max(64).nullable() })
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

export const MarkingCheckSchema = z
  .object({ banner: z.string().max(500), portion: z.string().max(500), bannerLevel: z.enum(LEVELS) })
  .strict();

export interface ChannelSpec {
  request: z.ZodType;
  response: z.ZodType;
  requiresConsent: boolean;
}

export const contract = {
  system: {
    info: { request: NoArguments, response: SystemInfoSchema, requiresConsent: false },
    acknowledgeConsent: {
      request: z.object({ consentId: Sha256Hex }).strict(),
      response: z.object({ acknowledgedAt: z.string().max(64) }).strict(),
      requiresConsent: false,
    },
    health: { request: NoArguments, response: SystemHealthSchema, requiresConsent: true },
  },
  markings: {
    /** The site's marking policy (controls in use, SCI systems, extra country codes, tetragraphs) and system high. */
    policy: {
      request: NoArguments,
      response: z.object({ systemHigh: z.string().max(500), settings: MarkingPolicySettingsSchema.required() }).strict(),
      requiresConsent: true,
    },
    /**
     * Validates a marking against the site's policy and system high, as the store will before it
     * keeps anything: INVALID_ARGUMENT names the token and position, ABOVE_SYSTEM_HIGH refuses it.
     */
    check: {
      request: z.object({ marking: z.string().min(1).max(500) }).strict(),
      response: MarkingCheckSchema,
      requiresConsent: true,
    },
  },
} as const satisfies Record<string, Record<string, ChannelSpec>>;

export type Contract = typeof contract;
export type Namespace = keyof Contract;
export type MethodOf<N extends Namespace> = keyof Contract[N] & string;
type Spec<N extends Namespace, M extends MethodOf<N>> = Contract[N][M] extends ChannelSpec ? Contract[N][M] : never;
export type RequestOf<N extends Namespace, M extends MethodOf<N>> = z.infer<Spec<N, M>['request']>;
export type ResponseOf<N extends Namespace, M extends MethodOf<N>> = z.infer<Spec<N, M>['response']>;

/** Largest serialized request accepted on any channel, checked before parsing. */
export const MAX_REQUEST_BYTES = 64 * 1024;

export function channelName(namespace: string, method: string): string {
  return `enclave:${namespace}.${method}`;
}

export interface ChannelRef {
  namespace: Namespace;
  method: string;
  name: string;
  spec: ChannelSpec;
}

export function listChannels(): ChannelRef[] {
  return (Object.keys(contract) as Namespace[]).flatMap((namespace) =>
    Object.entries(contract[namespace]).map(([method, spec]) => ({
      namespace,
      method,
      name: channelName(namespace, method),
      spec: spec as ChannelSpec,
    })),
  );
}

export function findChannel(name: string): ChannelRef | undefined {
  return listChannels().find((channel) => channel.name === name);
}
