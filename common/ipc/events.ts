import { z } from 'zod';

/**
 * Events the services push to the renderer (docs/ipc-contract.md, "Events"), so nothing polls.
 * Each is validated on the way out (host side) and on the way in (renderer), like a call.
 */
export const CallIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'expected a call id');

export const eventContract = {
  /**
   * The login session locked or unlocked, or the cards in the readers changed: the renderer reads
   * identity.status again (and forgets the signed-in user's data on a lock).
   */
  'identity.changed': z.object({ unlocked: z.boolean() }).strict(),
  /**
   * The site configuration changed (an update bundle replaced it): every window reads system.info
   * again, so the banner and the site's name change without a restart.
   */
  'site.changed': z.object({}).strict(),
  /** How far a long call has come, for the call that `callId` names. `total` is null when unknown. */
  'job.progress': z
    .object({
      callId: CallIdSchema,
      done: z.number().int().nonnegative(),
      total: z.number().int().nonnegative().nullable(),
      message: z.string().max(1024),
    })
    .strict(),
} as const satisfies Record<string, z.ZodType>;

export type EventName = keyof typeof eventContract;
export type EventPayload<N extends EventName> = z.infer<(typeof eventContract)[N]>;
export type EnclaveEvent = { [N in EventName]: { name: N; payload: EventPayload<N> } }[EventName];

/** The one Electron channel events travel on (main → renderer). */
export const EVENT_CHANNEL = 'enclave:event';

/** An event as it crossed a boundary, checked against its schema; null when it is not one. */
export function parseEvent(raw: unknown): EnclaveEvent | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { name, payload } = raw as { name?: unknown; payload?: unknown };
  if (typeof name !== 'string' || !Object.hasOwn(eventContract, name)) return null;
  const parsed = eventContract[name as EventName].safeParse(payload);
  return parsed.success ? ({ name, payload: parsed.data } as EnclaveEvent) : null;
}
