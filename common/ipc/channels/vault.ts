import { z } from 'zod';
import { FileHandleSchema } from '../files';
import { NoArguments, When, type ChannelGroup } from '../channel';

const RecoverySecret = z.string().min(1).max(128);

export const VaultStatusSchema = z
  .object({
    path: z.string().max(4096),
    databaseId: z.string().max(128),
    bytes: z.number().int().nonnegative(),
    schema: z.number().int().nonnegative(),
    cipher: z.string().max(64),
    journalMode: z.string().max(32),
    slots: z
      .array(
        z
          .object({
            id: z.string().max(128),
            type: z.string().max(32),
            createdAt: When,
            label: z.string().max(256).optional(),
          })
          .strict(),
      )
      .max(1024),
    rows: z.record(z.string().max(64), z.number().int().nonnegative()),
  })
  .strict();

export const VaultVerifySchema = z
  .object({
    ok: z.boolean(),
    integrity: z.string().max(16_384),
    foreignKeyViolations: z.number().int().nonnegative(),
    audit: z
      .object({ ok: z.boolean(), entries: z.number().int().nonnegative(), message: z.string().max(1024) })
      .strict(),
  })
  .strict();

/**
 * vault.*: the administrator's care of the encrypted store (docs/store.md): what `enclave db …`
 * calls. Every one is audited with the signed-in administrator's name.
 */
export const vaultChannels = {
  status: { request: NoArguments, response: VaultStatusSchema, requiresConsent: true, access: 'store.manage' },
  /** integrity_check, foreign keys and the audit chain. */
  verify: { request: NoArguments, response: VaultVerifySchema, requiresConsent: true, access: 'store.manage' },
  /**
   * An encrypted, verified backup and its `.keys` file at `destination` (an absolute path that does
   * not exist yet: a backup never overwrites). `ownSecret`: the backup gets its own new recovery
   * secret, returned once.
   */
  backup: {
    request: z.object({ destination: z.string().min(1).max(4096), ownSecret: z.boolean() }).strict(),
    response: z
      .object({
        path: z.string().max(4096),
        bytes: z.number().int().nonnegative(),
        recoverySecret: z.string().max(128).optional(),
      })
      .strict(),
    requiresConsent: true,
    access: 'store.manage',
  },
  /**
   * Replaces the live store with a backup (its `.keys` file beside it), unlocked by the backup's
   * own recovery secret. The session ends: sign in again to the restored store.
   */
  restore: {
    request: z.object({ backup: FileHandleSchema, recoverySecret: RecoverySecret }).strict(),
    response: z.object({ path: z.string().max(4096) }).strict(),
    requiresConsent: true,
    access: 'store.manage',
  },
  /** A new data key; every key slot rewrapped (the recovery slot needs its secret). */
  rotateKey: {
    request: z.object({ recoverySecret: RecoverySecret }).strict(),
    response: z.object({ slots: z.number().int().nonnegative() }).strict(),
    requiresConsent: true,
    access: 'store.manage',
  },
} as const satisfies ChannelGroup;
