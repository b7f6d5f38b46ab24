import { z } from 'zod';
import { canonicalJson } from './canonical-json';
import { TufError } from './errors';

/**
 * TUF 1.0 metadata (§4): the schemas of the four top-level roles and of delegated targets, and the
 * parsing of a signed envelope. No I/O: the client and the repository tools share it. Objects are
 * "loose": fields this version does not know are kept, and signatures are checked over the canonical
 * JSON of the object as parsed, never of what the schema returns.
 */

export const TOP_LEVEL_ROLES = ['root', 'timestamp', 'snapshot', 'targets'] as const;
export type TopLevelRole = (typeof TOP_LEVEL_ROLES)[number];
export type RoleType = TopLevelRole;

const MAX_NAME = 255;
const text = z.string().max(4096);
const keyId = z.string().min(1).max(MAX_NAME);
const positiveInt = z.int().min(1);
const hexDigest = z.string().regex(/^[0-9a-fA-F]{2,256}$/, 'a hash is hex');
// securesystemslib writes "2030-01-01T00:00:00Z"; fractions of a second are accepted, other zones are not.
const expires = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/, 'expires is an ISO 8601 UTC time');

export const keySchema = z.looseObject({
  keytype: z.string().max(64),
  scheme: z.string().max(64),
  keyval: z.looseObject({ public: z.string().max(16384) }),
});
export type MetadataKey = z.infer<typeof keySchema>;

const roleKeysSchema = z.looseObject({ keyids: z.array(keyId).max(1024), threshold: positiveInt });
export type RoleKeys = z.infer<typeof roleKeysSchema>;

const hashesSchema = z.record(z.string().max(64), hexDigest);

export const metaFileSchema = z.looseObject({
  version: positiveInt,
  length: z.int().min(0).optional(),
  hashes: hashesSchema.optional(),
});
export type MetaFile = z.infer<typeof metaFileSchema>;

export const targetFileSchema = z.looseObject({
  length: z.int().min(0),
  hashes: hashesSchema.refine((hashes) => Object.keys(hashes).length > 0, 'a target has at least one hash'),
  custom: z.unknown().optional(),
});
export type TargetFile = z.infer<typeof targetFileSchema>;

/** Delegated role names become file names and must not shadow a top-level role or the client's own records. */
const RESERVED_ROLE_NAMES = new Set<string>([...TOP_LEVEL_ROLES, 'time-floor']);

export const delegatedRoleSchema = z
  .looseObject({
    name: z
      .string()
      .min(1)
      .max(MAX_NAME)
      .refine((name) => !RESERVED_ROLE_NAMES.has(name), 'a delegated role cannot take a reserved name'),
    keyids: z.array(keyId).max(1024),
    threshold: positiveInt,
    terminating: z.boolean(),
    paths: z.array(text).max(4096).optional(),
    path_hash_prefixes: z
      .array(z.string().regex(/^[0-9a-fA-F]{1,64}$/))
      .max(65536)
      .optional(),
  })
  .refine((role) => !(role.paths && role.path_hash_prefixes), 'a role has paths or path_hash_prefixes, not both');
export type DelegatedRole = z.infer<typeof delegatedRoleSchema>;

const delegationsSchema = z
  .looseObject({ keys: z.record(keyId, keySchema), roles: z.array(delegatedRoleSchema).max(4096) })
  .refine((d) => new Set(d.roles.map((role) => role.name)).size === d.roles.length, 'delegated role names repeat');
export type Delegations = z.infer<typeof delegationsSchema>;

const common = {
  spec_version: z.string().max(32),
  version: positiveInt,
  expires,
};

export const rootSchema = z.looseObject({
  _type: z.literal('root'),
  ...common,
  consistent_snapshot: z.boolean().optional(),
  keys: z.record(keyId, keySchema),
  roles: z
    .record(z.string().max(MAX_NAME), roleKeysSchema)
    .refine((roles) => TOP_LEVEL_ROLES.every((role) => role in roles), 'root names keys for all four top-level roles'),
});
export type Root = z.infer<typeof rootSchema>;

export const timestampSchema = z.looseObject({
  _type: z.literal('timestamp'),
  ...common,
  meta: z
    .record(z.string().max(MAX_NAME), metaFileSchema)
    .refine((meta) => 'snapshot.json' in meta, 'timestamp meta names snapshot.json'),
});
export type Timestamp = z.infer<typeof timestampSchema>;

export const snapshotSchema = z.looseObject({
  _type: z.literal('snapshot'),
  ...common,
  meta: z.record(z.string().max(MAX_NAME + 5), metaFileSchema),
});
export type Snapshot = z.infer<typeof snapshotSchema>;

export const targetsSchema = z.looseObject({
  _type: z.literal('targets'),
  ...common,
  targets: z.record(z.string().max(4096), targetFileSchema),
  delegations: delegationsSchema.optional(),
});
export type Targets = z.infer<typeof targetsSchema>;

const schemas = { root: rootSchema, timestamp: timestampSchema, snapshot: snapshotSchema, targets: targetsSchema };
export interface SignedByType {
  root: Root;
  timestamp: Timestamp;
  snapshot: Snapshot;
  targets: Targets;
}

export interface TufSignature {
  readonly keyid: string;
  readonly sig: string;
}

const envelopeSchema = z.object({
  signed: z.record(z.string(), z.unknown()),
  signatures: z.array(z.object({ keyid: keyId, sig: z.string().max(4096) }).loose()).max(1024),
});

/** A parsed, not yet verified, metadata file: `signedBytes` are what its signatures must cover. */
export interface Envelope<T> {
  readonly signed: T;
  readonly signatures: readonly TufSignature[];
  readonly signedBytes: Uint8Array;
  /** The file exactly as read: what the store keeps once it is verified. */
  readonly bytes: Uint8Array;
}

/** Parses a metadata file of the given type; `label` names it in errors ("snapshot", "delegated role 'a'"). */
export function parseMetadata<T extends RoleType>(
  bytes: Uint8Array,
  type: T,
  label: string,
): Envelope<SignedByType[T]> {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new TufError('bad-metadata', `${label} metadata is not JSON: ${(error as Error).message}`);
  }
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) throw new TufError('bad-metadata', `${label} metadata: ${describe(envelope.error)}`);
  const { signed } = envelope.data;
  if (signed._type !== type)
    throw new TufError(
      'bad-metadata',
      `${label} metadata has _type ${JSON.stringify(signed._type)}, expected "${type}"`,
    );
  checkSpecVersion(signed.spec_version, label);
  const parsed = schemas[type].safeParse(signed);
  if (!parsed.success) throw new TufError('bad-metadata', `${label} metadata: ${describe(parsed.error)}`);
  return {
    signed: parsed.data as SignedByType[T],
    signatures: envelope.data.signatures.map(({ keyid, sig }) => ({ keyid, sig })),
    // The original object, unknown fields and all: a re-serialised schema output could differ.
    signedBytes: canonicalJson(signed),
    bytes,
  };
}

function checkSpecVersion(specVersion: unknown, label: string): void {
  const parts = typeof specVersion === 'string' ? specVersion.split('.') : [];
  if (parts.length < 2 || parts.length > 3 || !parts.every((part) => /^\d{1,9}$/.test(part)) || parts[0] !== '1')
    throw new TufError(
      'bad-metadata',
      `${label} metadata has spec_version ${JSON.stringify(specVersion)}; this client reads TUF 1.x only`,
    );
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '(top)'}: ${issue.message}` : 'invalid';
}

/** When the metadata expires; the schema already checked the format. */
export function expiresAt(signed: { expires: string }): Date {
  const date = new Date(signed.expires);
  if (Number.isNaN(date.getTime())) throw new TufError('bad-metadata', `expires "${signed.expires}" is no date`);
  return date;
}
