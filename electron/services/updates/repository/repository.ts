import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  parseMetadata,
  type MetadataKey,
  type Root,
  type SignedByType,
  type Snapshot,
  type Targets,
  type Timestamp,
  type TufSignature,
} from '../tuf/metadata';
import { TufError } from '../tuf/errors';
import { RepositoryError } from './errors';
import { readBounded, readJsonFile, writeFileAtomic } from './files';
import { ALL_ROLES, DELEGATED_ROLES, TOP_ROLES } from './roles';

/**
 * An officer's working repository R:
 *   R/repository.json          what init-repo was told (expiry periods), for later restaging
 *   R/metadata/<role>.json     the staged metadata of every role, signed or not yet
 *   R/metadata/root-history/   N.root.json of every earlier root version (for the media)
 *   R/targets/<dir>/<sha256>.<file>   the target files, named as consistent snapshots want them
 */
export const REPOSITORY_FILE = 'repository.json';
export const SPEC_VERSION = '1.0.31';
const MAX_METADATA_BYTES = 5 * 1024 * 1024;

const days = z.int().min(1).max(3650);
export const repositoryConfigSchema = z.strictObject({
  format: z.literal('enclave-update-repository'),
  formatVersion: z.literal(1),
  expiryDays: z.strictObject({ root: days, targets: days, delegated: days, snapshot: days, timestamp: days }),
});
export type RepositoryConfig = z.infer<typeof repositoryConfigSchema>;

/** A staged metadata file: its signed part as written (mutable) and the signatures so far. */
export interface Staged<T> {
  signed: T;
  signatures: TufSignature[];
}

export interface Repository {
  readonly dir: string;
  readonly config: RepositoryConfig;
  root: Staged<Root>;
  targets: Staged<Targets>;
  snapshot: Staged<Snapshot>;
  timestamp: Staged<Timestamp>;
  delegated: Map<string, Staged<Targets>>;
}

export const metadataDir = (dir: string) => join(dir, 'metadata');
export const stagedPath = (dir: string, role: string) => join(metadataDir(dir), `${role}.json`);
export const rootHistoryDir = (dir: string) => join(metadataDir(dir), 'root-history');
export const targetsDir = (dir: string) => join(dir, 'targets');

export function loadRepository(dir: string): Repository {
  if (!existsSync(join(dir, REPOSITORY_FILE)))
    throw new RepositoryError(
      'usage',
      `${dir} is not an update repository (no ${REPOSITORY_FILE}; run enclave update init-repo).`,
    );
  const config = repositoryConfigSchema.safeParse(
    readJsonFile(join(dir, REPOSITORY_FILE), 64 * 1024, 'The repository file'),
  );
  if (!config.success)
    throw new RepositoryError(
      'refused',
      `${join(dir, REPOSITORY_FILE)} is damaged: ${config.error.issues[0]?.message}`,
    );
  const delegated = new Map<string, Staged<Targets>>();
  for (const role of DELEGATED_ROLES) delegated.set(role.name, loadStaged(dir, role.name, 'targets'));
  return {
    dir,
    config: config.data,
    root: loadStaged(dir, 'root', 'root'),
    targets: loadStaged(dir, 'targets', 'targets'),
    snapshot: loadStaged(dir, 'snapshot', 'snapshot'),
    timestamp: loadStaged(dir, 'timestamp', 'timestamp'),
    delegated,
  };
}

function loadStaged<T extends 'root' | 'targets' | 'snapshot' | 'timestamp'>(dir: string, role: string, type: T) {
  const path = stagedPath(dir, role);
  const bytes = readBounded(path, MAX_METADATA_BYTES, `The staged ${role} metadata`);
  try {
    parseMetadata(bytes, type, role); // the schema check; the raw object below is what is kept and signed
  } catch (error) {
    if (error instanceof TufError) throw new RepositoryError('refused', `${path}: ${error.message}`);
    throw error;
  }
  const raw = JSON.parse(new TextDecoder().decode(bytes)) as { signed: never; signatures: TufSignature[] };
  const staged: Staged<SignedByType[T]> = {
    signed: raw.signed,
    signatures: raw.signatures.map(({ keyid, sig }) => ({ keyid, sig })),
  };
  return staged;
}

export function stagedOf(repo: Repository, role: string): Staged<Root | Targets | Snapshot | Timestamp> {
  if (role === 'root') return repo.root;
  if (role === 'targets') return repo.targets;
  if (role === 'snapshot') return repo.snapshot;
  if (role === 'timestamp') return repo.timestamp;
  const staged = repo.delegated.get(role);
  if (!staged) throw new RepositoryError('usage', `There is no role "${role}" (roles: ${ALL_ROLES.join(', ')}).`);
  return staged;
}

export function saveStaged(repo: Repository, role: string): void {
  const staged = stagedOf(repo, role);
  writeFileAtomic(
    stagedPath(repo.dir, role),
    `${JSON.stringify({ signed: staged.signed, signatures: staged.signatures }, null, 2)}\n`,
  );
}

/** Who may sign a role's metadata: its keyids and threshold, and the key objects they name. */
export interface RoleKeyring {
  readonly keyids: readonly string[];
  readonly threshold: number;
  readonly keys: Readonly<Record<string, MetadataKey>>;
}

export function roleKeyring(repo: Repository, role: string): RoleKeyring {
  if ((TOP_ROLES as readonly string[]).includes(role)) {
    const entry = repo.root.signed.roles[role]!;
    return { keyids: entry.keyids, threshold: entry.threshold, keys: repo.root.signed.keys };
  }
  const delegation = repo.targets.signed.delegations;
  const entry = delegation?.roles.find((candidate) => candidate.name === role);
  if (!delegation || !entry) throw new RepositoryError('refused', `targets metadata does not delegate to "${role}".`);
  return { keyids: entry.keyids, threshold: entry.threshold, keys: delegation.keys };
}

/** Earlier root versions kept for the media, as [version, bytes], oldest first. */
export function rootHistory(dir: string): [number, Buffer][] {
  const history = rootHistoryDir(dir);
  if (!existsSync(history)) return [];
  return readdirSync(history)
    .map((name) => /^([1-9]\d{0,8})\.root\.json$/.exec(name))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match): [number, Buffer] => [
      Number(match[1]),
      readBounded(join(history, match[0]), MAX_METADATA_BYTES, 'An earlier root'),
    ])
    .sort(([a], [b]) => a - b);
}

/** An expiry `days` from `now`, whole seconds, as TUF writes it. */
export function expiryAfter(now: Date, days: number): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The time in the form `x-enclave-signed-at` carries. */
export function isoSeconds(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
