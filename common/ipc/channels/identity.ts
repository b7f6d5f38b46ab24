import { z } from 'zod';
import { ROLES } from '../../access/roles';
import { NoArguments, type ChannelGroup } from '../channel';

/** Why a card login was refused (docs/login.md): the UI and the audit log key on these. */
export const LOGIN_REFUSAL_CODES = [
  'NO_MODULE',
  'NO_CARD',
  'SEVERAL_CARDS',
  'CARD_REMOVED',
  'CARD_ERROR',
  'WRONG_PIN',
  'PIN_LOCKED',
  'PIN_FORMAT',
  'PIN_EXPIRED',
  'EXPIRED',
  'NOT_YET_VALID',
  'REVOKED',
  'UNTRUSTED_ISSUER',
  'BAD_SIGNATURE',
  'WRONG_POLICY',
  'BAD_KEY_USAGE',
  'MALFORMED',
  'CRL_MISSING',
  'CRL_TOO_OLD',
  'KEY_MISMATCH',
  'NO_KEY_MANAGEMENT',
  'NOT_ENROLLED',
  'USER_DISABLED',
  'NO_STORE',
  'STORE_ERROR',
  'ALREADY_UNLOCKED',
] as const;

const Role = z.enum(ROLES);
const UserId = z.number().int().positive();
const Serial = z.string().min(1).max(64);
const PinFlags = z.object({ countLow: z.boolean(), finalTry: z.boolean(), locked: z.boolean() }).strict();

export const SessionUserSchema = z
  .object({ id: z.number().int().nullable(), displayName: z.string().max(200), role: Role })
  .strict();

export const IdentityStatusSchema = z
  .object({
    card: z.discriminatedUnion('state', [
      z.object({ state: z.literal('no-module'), message: z.string().max(4096) }).strict(),
      z.object({ state: z.literal('no-card'), message: z.string().max(4096) }).strict(),
      z
        .object({
          state: z.literal('card-present'),
          cards: z
            .array(
              z
                .object({
                  label: z.string().max(64),
                  serialNumber: z.string().max(64),
                  model: z.string().max(64),
                  pin: PinFlags,
                })
                .strict(),
            )
            .max(64),
        })
        .strict(),
    ]),
    /** Whether this workstation has its encrypted store: before first-run setup there is nothing to sign in to. */
    setUp: z.boolean(),
    unlocked: z.boolean(),
    user: SessionUserSchema.nullable(),
    lastLock: z
      .object({ reason: z.enum(['removal', 'idle', 'manual']), at: z.string().max(64), detail: z.string().max(1024) })
      .strict()
      .nullable(),
    /** PIN entry to unlocked store, of the last login (the target is under 1.5 s). */
    lastUnlockMs: z.number().nonnegative().nullable(),
  })
  .strict();

/** A refusal is a typed value, not an error: the reason drives the login screen. */
export const LoginResultSchema = z.discriminatedUnion('outcome', [
  z
    .object({
      outcome: z.literal('unlocked'),
      user: SessionUserSchema,
      unlockMs: z.number().nonnegative(),
      warnings: z.array(z.string().max(4096)).max(32),
    })
    .strict(),
  z
    .object({
      outcome: z.literal('refused'),
      reason: z.enum(LOGIN_REFUSAL_CODES),
      message: z.string().max(4096),
      pin: z.object({ finalTry: z.boolean(), locked: z.boolean() }).strict().nullable(),
    })
    .strict(),
]);

export const UserSchema = z
  .object({
    id: z.number().int(),
    edipi: z.string().max(16).nullable(),
    upn: z.string().max(256).nullable(),
    uuid: z.string().max(64).nullable(),
    displayName: z.string().max(200),
    role: Role,
    createdAt: z.string().max(64),
    disabledAt: z.string().max(64).nullable(),
    cardSlots: z.array(z.string().max(64)).max(64),
  })
  .strict();

/** identity.*: card detection, sign-in, lock, and the administrator's user management (docs/login.md). */
export const identityChannels = {
  /** Card detection (module, card, PIN flags) and the session: unlocked, who, last lock. Not activity. */
  status: { request: NoArguments, response: IdentityStatusSchema, requiresConsent: true, access: 'public' },
  /** The one call that carries the PIN; it goes to C_Login and is not kept. */
  login: {
    request: z.object({ pin: z.string().min(1).max(64), serialNumber: Serial.optional() }).strict(),
    response: LoginResultSchema,
    requiresConsent: true,
    access: 'public',
  },
  /** First-run setup, or no card works: the recovery secret unlocks as administrator. */
  recover: {
    request: z.object({ recoverySecret: z.string().min(1).max(128) }).strict(),
    response: z.object({ user: SessionUserSchema }).strict(),
    requiresConsent: true,
    access: 'public',
  },
  lock: {
    request: NoArguments,
    response: z.object({ locked: z.boolean() }).strict(),
    requiresConsent: true,
    access: 'public',
  },
  /** Admin: enrol the inserted card with this serial (its certificates are read; no PIN). */
  enroll: {
    request: z.object({ serialNumber: Serial, role: Role }).strict(),
    response: z.object({ userId: z.number().int(), slotId: z.string().max(64), created: z.boolean() }).strict(),
    requiresConsent: true,
    access: 'users.manage',
  },
  users: {
    request: NoArguments,
    response: z.object({ users: z.array(UserSchema).max(10_000) }).strict(),
    requiresConsent: true,
    access: 'users.manage',
  },
  /** Admin: remove every key slot of a user, so their card no longer opens the store. */
  removeCard: {
    request: z.object({ userId: UserId }).strict(),
    response: z.object({ removed: z.array(z.string().max(64)).max(64) }).strict(),
    requiresConsent: true,
    access: 'users.manage',
  },
  /** Admin: change a user's role (audited with the old and new role). */
  setRole: {
    request: z.object({ userId: UserId, role: Role }).strict(),
    response: z.object({ user: UserSchema }).strict(),
    requiresConsent: true,
    access: 'users.manage',
  },
  /** Admin: disable (or re-enable) a user; a disabled user's card is refused at sign-in. */
  setDisabled: {
    request: z.object({ userId: UserId, disabled: z.boolean() }).strict(),
    response: z.object({ user: UserSchema }).strict(),
    requiresConsent: true,
    access: 'users.manage',
  },
} as const satisfies ChannelGroup;
