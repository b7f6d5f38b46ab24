import { z } from 'zod';
import { LEVELS } from '../markings/levels';
import { MarkingPolicySettingsSchema } from '../markings/marking-policy';
import { ROLES, type Access } from '../access/roles';
import {
  SetupProgressSchema,
  TRUST_UPLOAD_MAX_BYTES,
  TrustImportSchema,
  TrustListSchema,
  UploadedFiles,
} from './admin-schemas';

/**
 * The IPC contract: every channel the renderer may call, with a zod schema for its request and its
 * response. Requests are strict (extra fields are refused) and every string has a maximum length.
 * `requiresConsent` channels are refused by the service until the notice-and-consent banner is
 * acknowledged in this session. `access` says who may call it (common/access/roles.ts, docs/roles.md); the
 * service router enforces it on every call and audits each refusal.
 */
const NoArguments = z.object({}).strict();

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 hex digest');

export const SystemInfoSchema = z
  .object({
    app: z.object({ name: z.string().max(64), version: z.string().max(64) }).strict(),
    site: z
      .object({ name: z.string().max(120), systemHigh: z.string().max(500), bannerLevel: z.enum(LEVELS) })
      .strict(),
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

export const MarkingCheckSchema = z
  .object({ banner: z.string().max(500), portion: z.string().max(500), bannerLevel: z.enum(LEVELS) })
  .strict();

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

export const AuditEntrySchema = z
  .object({
    seq: z.number().int().positive(),
    at: z.string().max(64),
    actor: z.string().max(256),
    event: z.string().max(64),
    object: z.string().max(1024),
    outcome: z.enum(['success', 'failure', 'denied']),
    /** The entry's detail as recorded (JSON text). */
    detail: z.string().max(16_384),
  })
  .strict();

export interface ChannelSpec {
  request: z.ZodType;
  response: z.ZodType;
  requiresConsent: boolean;
  access: Access;
  /** Larger than MAX_REQUEST_BYTES: only the trust-file uploads. */
  maxRequestBytes?: number;
}

export const contract = {
  system: {
    info: { request: NoArguments, response: SystemInfoSchema, requiresConsent: false, access: 'public' },
    acknowledgeConsent: {
      request: z.object({ consentId: Sha256Hex }).strict(),
      response: z.object({ acknowledgedAt: z.string().max(64) }).strict(),
      requiresConsent: false,
      access: 'public',
    },
    health: { request: NoArguments, response: SystemHealthSchema, requiresConsent: true, access: 'public' },
  },
  markings: {
    /** The site's marking policy (controls in use, SCI systems, extra country codes, tetragraphs) and system high. */
    policy: {
      request: NoArguments,
      response: z
        .object({ systemHigh: z.string().max(500), settings: MarkingPolicySettingsSchema.required() })
        .strict(),
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
  },
  identity: {
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
    /**
     * Held open while a session is unlocked: answers `{ locked: true }` as soon as it locks (or at
     * once when nothing is unlocked), else `{ locked: false }` after LOCK_WATCH_MS. The renderer
     * keeps one open so the lock screen follows a card removal at once. Not counted as activity.
     */
    awaitLock: {
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
  },
  trust: {
    /** Admin: the trust anchors (roots and intermediates) and CRLs the sign-in validates against. */
    list: { request: NoArguments, response: TrustListSchema, requiresConsent: true, access: 'trust.manage' },
    /** Admin: CA certificates from PEM, DER or PKCS#7 files. All files are read before anything is kept. */
    importAnchors: {
      request: z.object({ files: UploadedFiles }).strict(),
      response: TrustImportSchema,
      requiresConsent: true,
      access: 'trust.manage',
      maxRequestBytes: TRUST_UPLOAD_MAX_BYTES,
    },
    removeAnchor: {
      request: z.object({ id: z.number().int().positive() }).strict(),
      response: z.object({ removed: z.string().max(1024) }).strict(),
      requiresConsent: true,
      access: 'trust.manage',
    },
    /** Admin: CRLs (PEM or DER), each verified against an anchor's key; a newer CRL replaces its issuer's older one. */
    importCrls: {
      request: z.object({ files: UploadedFiles }).strict(),
      response: TrustImportSchema,
      requiresConsent: true,
      access: 'trust.manage',
      maxRequestBytes: TRUST_UPLOAD_MAX_BYTES,
    },
    removeCrl: {
      request: z.object({ id: z.number().int().positive() }).strict(),
      response: z.object({ removed: z.string().max(1024) }).strict(),
      requiresConsent: true,
      access: 'trust.manage',
    },
  },
  audit: {
    /** Admin: one page of the audit log, newest first (before `beforeSeq` when given). */
    list: {
      request: z
        .object({ beforeSeq: z.number().int().positive().optional(), limit: z.number().int().min(1).max(500) })
        .strict(),
      response: z
        .object({ entries: z.array(AuditEntrySchema).max(500), total: z.number().int().nonnegative() })
        .strict(),
      requiresConsent: true,
      access: 'audit.read',
    },
    /** Admin: checks the whole chain and its authenticated end (what `enclave audit verify` does). */
    verify: {
      request: NoArguments,
      response: z
        .object({ ok: z.boolean(), entries: z.number().int().nonnegative(), message: z.string().max(1024) })
        .strict(),
      requiresConsent: true,
      access: 'audit.read',
    },
  },
  setup: {
    /**
     * First run, before any store exists: checks the site name and system high and returns a new
     * recovery secret, shown once. Nothing is written until `confirm`.
     */
    begin: {
      request: z
        .object({ siteName: z.string().trim().min(1).max(120), systemHigh: z.string().min(1).max(300) })
        .strict(),
      response: z.object({ recoverySecret: z.string().max(128), systemHigh: z.string().max(500) }).strict(),
      requiresConsent: true,
      access: 'public',
    },
    /** The recovery secret typed back: creates the store and signs in as administrator with it. */
    confirm: {
      request: z.object({ recoverySecret: z.string().min(1).max(128) }).strict(),
      response: z.object({ user: SessionUserSchema }).strict(),
      requiresConsent: true,
      access: 'public',
    },
    progress: { request: NoArguments, response: SetupProgressSchema, requiresConsent: true, access: 'site.configure' },
    /** Needs a trust anchor and an administrator's card; then locks, for that card to sign in. */
    finish: { request: NoArguments, response: SetupProgressSchema, requiresConsent: true, access: 'site.configure' },
  },
} as const satisfies Record<string, Record<string, ChannelSpec>>;

export type Contract = typeof contract;
export type Namespace = keyof Contract;
export type MethodOf<N extends Namespace> = keyof Contract[N] & string;
type Spec<N extends Namespace, M extends MethodOf<N>> = Contract[N][M] extends ChannelSpec ? Contract[N][M] : never;
export type RequestOf<N extends Namespace, M extends MethodOf<N>> = z.infer<Spec<N, M>['request']>;
export type ResponseOf<N extends Namespace, M extends MethodOf<N>> = z.infer<Spec<N, M>['response']>;

/** How long identity.awaitLock is held before answering "still unlocked" (under the service host's call timeout). */
export const LOCK_WATCH_MS = 20_000;

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

export function maxRequestBytesOf(spec: ChannelSpec): number {
  return spec.maxRequestBytes ?? MAX_REQUEST_BYTES;
}

export function findChannel(name: string): ChannelRef | undefined {
  return listChannels().find((channel) => channel.name === name);
}
