import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { computeKeyId, publicKeyObject } from '../tuf/keys';
import type { DelegatedRole, MetadataKey, Root, Snapshot, Targets, Timestamp } from '../tuf/metadata';
import { TufError } from '../tuf/errors';
import type { TufPublicKey } from '../tuf/signer';
import { RepositoryError } from './errors';
import { ensureDir, writeFileAtomic } from './files';
import {
  expiryAfter,
  isoSeconds,
  REPOSITORY_FILE,
  saveStaged,
  SPEC_VERSION,
  targetsDir,
  type Repository,
  type RepositoryConfig,
} from './repository';
import { ALL_ROLES, DELEGATED_ROLES, TOP_ROLES } from './roles';

export interface RoleSetup {
  readonly keys: readonly TufPublicKey[];
  readonly threshold: number;
}

export interface InitOptions {
  /** Keys and threshold of every role in ALL_ROLES (root, targets, snapshot, timestamp, releases, trust, …). */
  readonly roles: Readonly<Record<string, RoleSetup>>;
  readonly expiryDays: RepositoryConfig['expiryDays'];
  readonly now: Date;
}

export const DEFAULT_EXPIRY_DAYS: RepositoryConfig['expiryDays'] = {
  root: 365,
  targets: 365,
  delegated: 90,
  snapshot: 30,
  timestamp: 14,
};

/**
 * Creates the repository in `dir` (absent or empty): version 1 of every role, staged unsigned, with
 * consistent snapshots and the five delegated roles, each terminating and trusted only for its own
 * path prefix. Nothing is written until every role's keys and threshold have been checked.
 */
export function initRepository(dir: string, options: InitOptions): Repository {
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new RepositoryError('usage', `${dir} exists and is not a directory.`);
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new RepositoryError(
      'refused',
      `${dir} is not empty; init-repo creates a new repository in an empty or new directory.`,
    );
  const keyids: Record<string, string[]> = {};
  const keys: Record<string, MetadataKey> = {};
  for (const role of ALL_ROLES) {
    const setup = options.roles[role];
    if (!setup || setup.keys.length === 0)
      throw new RepositoryError('usage', `The ${role} role needs at least one key.`);
    const ids = setup.keys.map((key) => checkedKeyId(key, role));
    if (new Set(ids).size !== ids.length)
      throw new RepositoryError('usage', `The ${role} role lists the same key twice.`);
    if (!Number.isInteger(setup.threshold) || setup.threshold < 1 || setup.threshold > ids.length)
      throw new RepositoryError(
        'usage',
        `The ${role} role's threshold must be between 1 and its ${ids.length} key${ids.length === 1 ? '' : 's'}; it is ${setup.threshold}.`,
      );
    keyids[role] = ids;
    setup.keys.forEach(
      (key, i) => (keys[ids[i]!] = { keytype: key.keytype, scheme: key.scheme, keyval: { public: key.keyval.public } }),
    );
  }
  const { now, expiryDays } = options;
  const pick = (roles: readonly string[]) =>
    Object.fromEntries(Object.entries(keys).filter(([id]) => roles.some((role) => keyids[role]!.includes(id))));
  const delegatedNames = DELEGATED_ROLES.map((role) => role.name);
  const root: Root = {
    _type: 'root',
    spec_version: SPEC_VERSION,
    version: 1,
    expires: expiryAfter(now, expiryDays.root),
    consistent_snapshot: true,
    keys: pick(TOP_ROLES),
    roles: Object.fromEntries(
      TOP_ROLES.map((role) => [role, { keyids: keyids[role]!, threshold: options.roles[role]!.threshold }]),
    ),
  };
  const delegations: DelegatedRole[] = DELEGATED_ROLES.map((role) => ({
    name: role.name,
    keyids: keyids[role.name]!,
    threshold: options.roles[role.name]!.threshold,
    terminating: true,
    paths: [`${role.prefix}/*`],
  }));
  const targets: Targets = {
    _type: 'targets',
    spec_version: SPEC_VERSION,
    version: 1,
    expires: expiryAfter(now, expiryDays.targets),
    targets: {},
    delegations: { keys: pick(delegatedNames), roles: delegations },
  };
  const snapshot: Snapshot = {
    _type: 'snapshot',
    spec_version: SPEC_VERSION,
    version: 1,
    expires: expiryAfter(now, expiryDays.snapshot),
    meta: Object.fromEntries(['targets', ...delegatedNames].map((role) => [`${role}.json`, { version: 1 }])),
  };
  const timestamp: Timestamp = {
    _type: 'timestamp',
    spec_version: SPEC_VERSION,
    version: 1,
    expires: expiryAfter(now, expiryDays.timestamp),
    meta: { 'snapshot.json': { version: 1 } },
    'x-enclave-signed-at': isoSeconds(now),
  };
  const empty = (): Targets => ({
    _type: 'targets',
    spec_version: SPEC_VERSION,
    version: 1,
    expires: expiryAfter(now, expiryDays.delegated),
    targets: {},
  });
  const repo: Repository = {
    dir,
    config: { format: 'enclave-update-repository', formatVersion: 1, expiryDays },
    root: { signed: root, signatures: [] },
    targets: { signed: targets, signatures: [] },
    snapshot: { signed: snapshot, signatures: [] },
    timestamp: { signed: timestamp, signatures: [] },
    delegated: new Map(delegatedNames.map((name) => [name, { signed: empty(), signatures: [] }])),
  };
  ensureDir(dir);
  ensureDir(targetsDir(dir));
  for (const role of ALL_ROLES) saveStaged(repo, role);
  // Written last: a directory without it is not a repository, so an interrupted init can be redone.
  writeFileAtomic(join(dir, REPOSITORY_FILE), `${JSON.stringify(repo.config, null, 2)}\n`);
  return repo;
}

function checkedKeyId(key: TufPublicKey, role: string): string {
  try {
    publicKeyObject(key);
  } catch (error) {
    if (error instanceof TufError) throw new RepositoryError('usage', `A ${role} key is unusable: ${error.message}`);
    throw error;
  }
  return computeKeyId(key);
}
