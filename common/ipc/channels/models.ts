import { z } from 'zod';
import { ROLES } from '../../access/roles';
import { ModelSchema } from '../../model/model';
import { Sha256Hex, When, type ChannelGroup } from '../channel';
import { FileHandleSchema } from '../files';

/** A model document crosses as JSON inside the request: a large model runs to megabytes. */
const MODEL_REQUEST_BYTES = 16 * 1024 * 1024;

/** Days a model stays in the trash before it is securely deleted (docs/models.md, "Trash"). */
export const MODEL_TRASH_DAYS = 30;

const ModelId = z.number().int().positive();
const VersionNo = z.number().int().positive();
const Comment = z.string().max(2000);

/** What the signed-in user may do with a model: their own, shared for edit or read, or an administrator's management. */
export const ModelAccessSchema = z.enum(['owner', 'edit', 'read', 'manage']);
export type ModelAccess = z.infer<typeof ModelAccessSchema>;

export const ModelSummarySchema = z
  .object({
    id: ModelId,
    name: z.string().max(200),
    banner: z.string().max(500),
    owner: z.object({ id: z.number().int(), name: z.string().max(200) }).strict(),
    updatedAt: When,
    versions: z.number().int().nonnegative(),
    access: ModelAccessSchema,
    /** When it went to the trash (purged 30 days later), or null. */
    deletedAt: When.nullable(),
  })
  .strict();

export const ModelVersionSchema = z
  .object({
    version: VersionNo,
    author: z.string().max(200),
    createdAt: When,
    comment: Comment,
    banner: z.string().max(500),
    sha256: Sha256Hex,
  })
  .strict();

export const ModelChangeSchema = z
  .object({
    path: z.string().max(512),
    kind: z.enum(['added', 'removed', 'changed']),
    before: z.string().max(2000).optional(),
    after: z.string().max(2000).optional(),
  })
  .strict();

export const ShareGrantSchema = z
  .object({
    /** A user's id, or a role: everyone with that role. */
    grantee: z.union([
      z.object({ user: z.number().int().positive() }).strict(),
      z.object({ role: z.enum(ROLES) }).strict(),
    ]),
    access: z.enum(['read', 'edit']),
  })
  .strict();

export const OpenModelSchema = z
  .object({
    summary: ModelSummarySchema,
    version: ModelVersionSchema,
    model: ModelSchema,
    /** The model's grants, for its owner; null for anyone else. */
    grants: z.array(ShareGrantSchema).max(200).nullable(),
  })
  .strict();

/** Someone a model may be shared with: an enabled user's id, name and role, nothing of their card. */
export const ShareTargetSchema = z
  .object({ id: z.number().int().positive(), name: z.string().max(200), role: z.enum(ROLES) })
  .strict();

const Summary = z.object({ model: ModelSummarySchema }).strict();
const ById = z.object({ id: ModelId }).strict();

/** models.*: the model library in the encrypted store (docs/models.md). */
export const modelsChannels = {
  /** Own models, models shared with me (and, for an administrator, every model): newest first, by name. */
  list: {
    request: z.object({ search: z.string().max(200).optional(), trash: z.boolean().optional() }).strict(),
    response: z.object({ models: z.array(ModelSummarySchema).max(100_000) }).strict(),
    requiresConsent: true,
    access: 'models.read',
  },
  create: {
    request: z.object({ model: ModelSchema, comment: Comment.optional() }).strict(),
    response: Summary,
    requiresConsent: true,
    access: 'models.write',
    maxRequestBytes: MODEL_REQUEST_BYTES,
  },
  /** The latest version, or the one named. */
  open: {
    request: z.object({ id: ModelId, version: VersionNo.optional() }).strict(),
    response: OpenModelSchema,
    requiresConsent: true,
    access: 'models.read',
  },
  /** A new immutable version. */
  save: {
    request: z.object({ id: ModelId, model: ModelSchema, comment: Comment.optional() }).strict(),
    response: z.object({ model: ModelSummarySchema, version: ModelVersionSchema }).strict(),
    requiresConsent: true,
    access: 'models.write',
    maxRequestBytes: MODEL_REQUEST_BYTES,
  },
  rename: {
    request: z.object({ id: ModelId, name: z.string().trim().min(1).max(200) }).strict(),
    response: Summary,
    requiresConsent: true,
    access: 'models.write',
  },
  /** A copy of the latest version, owned by the caller. */
  duplicate: {
    request: z.object({ id: ModelId, name: z.string().trim().min(1).max(200).optional() }).strict(),
    response: Summary,
    requiresConsent: true,
    access: 'models.write',
  },
  /** To the trash: recoverable for 30 days, then securely deleted. */
  delete: { request: ById, response: Summary, requiresConsent: true, access: 'models.write' },
  /** Back from the trash. */
  restore: { request: ById, response: Summary, requiresConsent: true, access: 'models.write' },
  versions: {
    request: ById,
    response: z.object({ versions: z.array(ModelVersionSchema).max(100_000) }).strict(),
    requiresConsent: true,
    access: 'models.read',
  },
  diff: {
    request: z.object({ id: ModelId, from: VersionNo, to: VersionNo }).strict(),
    response: z.object({ changes: z.array(ModelChangeSchema).max(20_000) }).strict(),
    requiresConsent: true,
    access: 'models.read',
  },
  /** An old version saved again as the newest. */
  restoreVersion: {
    request: z.object({ id: ModelId, version: VersionNo, comment: Comment.optional() }).strict(),
    response: z.object({ model: ModelSummarySchema, version: ModelVersionSchema }).strict(),
    requiresConsent: true,
    access: 'models.write',
  },
  /** Owner only: replaces the model's grants. */
  share: {
    request: z.object({ id: ModelId, grants: z.array(ShareGrantSchema).max(200) }).strict(),
    response: z.object({ grants: z.array(ShareGrantSchema).max(200) }).strict(),
    requiresConsent: true,
    access: 'models.write',
  },
  /** Whom the caller may share with: the other enabled users (users.list is an administrator's) and the roles. */
  shareTargets: {
    request: z.object({}).strict(),
    response: z
      .object({ users: z.array(ShareTargetSchema).max(10_000), roles: z.array(z.enum(ROLES)).max(ROLES.length) })
      .strict(),
    requiresConsent: true,
    access: 'models.write',
  },
  /** An enclave-model/1 file, by handle: every problem named at once, with its path. */
  importFile: {
    request: z.object({ file: FileHandleSchema }).strict(),
    response: Summary,
    requiresConsent: true,
    access: 'models.write',
  },
  /** The model as enclave-model/1 JSON text, with its banner. */
  exportFile: {
    request: z.object({ id: ModelId, version: VersionNo.optional() }).strict(),
    response: z
      .object({ fileName: z.string().max(255), banner: z.string().max(500), text: z.string().max(64 * 1024 * 1024) })
      .strict(),
    requiresConsent: true,
    access: 'models.export',
  },
} as const satisfies ChannelGroup;
