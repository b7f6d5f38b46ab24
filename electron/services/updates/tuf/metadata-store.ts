import { z } from 'zod';
import { TufError } from './errors';

/**
 * Where verified metadata lives between runs, by role name ("root", "timestamp", "snapshot", "targets",
 * a delegated role's name, and "time-floor"). Only metadata that passed verification is written; `write`
 * replaces a record atomically (a crash leaves the old one or the new one, never half).
 */
export interface TrustedMetadataStore {
  read(role: string): Uint8Array | null;
  write(role: string, bytes: Uint8Array): void;
}

/**
 * The latest time this workstation has verified: `signedAt` is the newest `x-enclave-signed-at` of a
 * verified timestamp. A clock set back before it is refused, so that expired metadata cannot be
 * replayed by turning the clock back.
 */
export interface TimeFloor {
  readonly timestampVersion: number;
  readonly signedAt?: string | undefined;
}

export const TIME_FLOOR_ROLE = 'time-floor';
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
export const isoUtc = z
  .string()
  .regex(ISO_UTC)
  .refine((text) => !Number.isNaN(Date.parse(text)));
const timeFloorSchema = z.strictObject({ timestampVersion: z.int().min(0), signedAt: isoUtc.optional() });

export function readTimeFloor(store: TrustedMetadataStore): TimeFloor | null {
  const bytes = store.read(TIME_FLOOR_ROLE);
  if (!bytes) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    parsed = undefined;
  }
  const floor = timeFloorSchema.safeParse(parsed);
  // A damaged floor cannot be trusted to be the latest time: refuse rather than run without it.
  if (!floor.success) throw new TufError('bad-metadata', 'the stored time floor is damaged; re-initialise the trust');
  return floor.data;
}

export function writeTimeFloor(store: TrustedMetadataStore, floor: TimeFloor): void {
  store.write(TIME_FLOOR_ROLE, new TextEncoder().encode(JSON.stringify(floor)));
}
