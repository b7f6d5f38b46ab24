import { z } from 'zod';
import type { Access } from '../access/roles';

/** One channel of the IPC contract: its request and response schemas and who may call it. */
export interface ChannelSpec {
  request: z.ZodType;
  response: z.ZodType;
  requiresConsent: boolean;
  access: Access;
  /** Larger than MAX_REQUEST_BYTES: a whole model (models.create, models.save). */
  maxRequestBytes?: number;
}

/** The channels of one domain, keyed by method. */
export type ChannelGroup = Record<string, ChannelSpec>;

export const NoArguments = z.object({}).strict();

export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 hex digest');

/** A timestamp as the services write it (ISO 8601). */
export const When = z.string().max(64);
