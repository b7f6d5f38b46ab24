import { z } from 'zod';
import { NoArguments, Sha256Hex, When, type ChannelGroup } from '../channel';
import { FileHandleSchema } from '../files';
import { UPDATE_PAYLOAD_KINDS } from '../../update/update-payload';

/** TUF keyids only name keys (older repositories' are not SHA-256 of the key), so any short name is taken. */
const KeyId = z.string().min(1).max(255);
const Version = z.number().int().nonnegative();

/** A role of the update repository as the administrator reviews it: versions old → new, who signed. */
export const UpdateRoleSchema = z
  .object({
    role: z.string().max(255),
    /** The version held before this bundle, or null when it brings the role for the first time. */
    from: Version.nullable(),
    to: Version,
    expires: When,
    threshold: z.number().int().positive(),
    /** The keys whose valid signatures count toward the threshold. */
    signedBy: z.array(KeyId).max(64),
  })
  .strict();

export const UpdateTargetSchema = z
  .object({
    name: z.string().max(300),
    kind: z.enum(UPDATE_PAYLOAD_KINDS),
    version: z.string().max(64).nullable(),
    role: z.string().max(255),
    length: z.number().int().nonnegative(),
    sha256: Sha256Hex,
    result: z.enum(['applied', 'unchanged', 'staged']),
    detail: z.string().max(4000),
  })
  .strict();

/** What a bundle on media holds, verified; nothing of it applied yet. */
export const UpdateInspectionSchema = z
  .object({
    roles: z.array(UpdateRoleSchema).max(64),
    targets: z.array(UpdateTargetSchema).max(1000),
    /** Set when applying would leave no enrolled administrator whose card signs in: apply then needs `confirmLockout`. */
    lockout: z.string().max(2000).nullable(),
    /** SHA-256 of the bundle file as read: apply can be held to the file that was reviewed. */
    fileSha256: Sha256Hex,
    /** The newest time this workstation will have verified after the bundle (its timestamp's signing time). */
    verifiedTime: When.nullable(),
  })
  .strict();

export const UpdateRootSchema = z
  .object({
    version: Version,
    expires: When,
    /** SHA-256 of the root metadata file as held: the fingerprint officers read out. */
    sha256: Sha256Hex,
    roles: z
      .array(
        z
          .object({ role: z.string().max(255), threshold: z.number().int().positive(), keyids: z.array(KeyId).max(64) })
          .strict(),
      )
      .max(8),
  })
  .strict();

export const UpdateHistoryEntrySchema = z
  .object({
    id: z.number().int().positive(),
    state: z.enum(['started', 'applied', 'interrupted', 'failed']),
    actor: z.string().max(200),
    startedAt: When,
    endedAt: When.nullable(),
    versions: z.object({ root: Version, timestamp: Version, snapshot: Version, targets: Version }).strict(),
    reason: z.string().max(4000).nullable(),
    targets: z
      .array(
        z
          .object({
            name: z.string().max(300),
            kind: z.string().max(32),
            sha256: Sha256Hex,
            length: z.number().int().nonnegative(),
            result: z.string().max(32),
          })
          .strict(),
      )
      .max(1000),
  })
  .strict();

/** The update bundle as carried: one tar of the repository's `metadata/` and `targets/` (docs/updates.md). */
const BundleFile = z.object({ file: FileHandleSchema }).strict();

/** updates.*: sneakernet update bundles, secured by TUF (docs/updates.md). */
export const updateChannels = {
  /** The update root this workstation trusts, or null before one is set. */
  root: {
    request: NoArguments,
    response: z.object({ root: UpdateRootSchema.nullable() }).strict(),
    requiresConsent: true,
    access: 'updates.manage',
  },
  /** Sets the first update root (a root.json the officers gave, checked against its own keys); never replaces one. */
  trustRoot: {
    request: BundleFile,
    response: z.object({ root: UpdateRootSchema }).strict(),
    requiresConsent: true,
    access: 'updates.manage',
  },
  /** Verifies a bundle and shows what applying it would do; changes nothing. */
  inspect: {
    request: BundleFile,
    response: UpdateInspectionSchema,
    requiresConsent: true,
    access: 'updates.manage',
  },
  /** Verifies again and applies: every database payload in one transaction, then files (site configuration). */
  apply: {
    request: BundleFile.extend({
      confirmLockout: z.boolean(),
      /** The reviewed file's SHA-256 (inspection.fileSha256): a different file is refused unread. */
      reviewedSha256: Sha256Hex.optional(),
    }).strict(),
    response: z.object({ id: z.number().int().positive(), inspection: UpdateInspectionSchema }).strict(),
    requiresConsent: true,
    access: 'updates.manage',
  },
  /** Applied (and interrupted, and failed) updates, newest first, with their targets' hashes. */
  history: {
    request: NoArguments,
    response: z.object({ updates: z.array(UpdateHistoryEntrySchema).max(200) }).strict(),
    requiresConsent: true,
    access: 'updates.manage',
  },
} as const satisfies ChannelGroup;
