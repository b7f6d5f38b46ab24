import { createHash, randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { RepositoryError } from './errors';
import { ensureDir } from './files';
import { withRepositoryLock } from './lock';
import { expiryAfter, isoSeconds, loadRepository, saveStaged, targetsDir, type Repository } from './repository';
import { delegatedRole, isPayloadType, PAYLOAD_TYPES, type PayloadType } from './roles';

/** A target no larger than this is copied: workstations hold a target in memory to check it, and refuse a larger one. */
export const MAX_TARGET_BYTES = 1024 ** 3;
const BASENAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}$/;
const VERSION = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/;

export interface AddTargetOptions {
  readonly role: string;
  /** The target path, `<prefix>/<file>`: "app/enclave-0.2.0.tar". */
  readonly name: string;
  readonly file: string;
  readonly type: string;
  readonly version?: string | undefined;
  readonly now: Date;
}

export interface AddedTarget {
  readonly role: string;
  readonly name: string;
  readonly length: number;
  readonly sha256: string;
  readonly roleVersion: number;
  readonly snapshotVersion: number;
  readonly timestampVersion: number;
}

/**
 * Adds (or replaces) a target in a delegated role: the file is copied into R/targets under its
 * consistent-snapshot name, the role's metadata records its length, SHA-256, SHA-512 and Enclave's
 * type, and the role, snapshot and timestamp are restaged with new versions, fresh expiry and no
 * signatures. A name outside the role's path, or a type the role does not sign, is refused before
 * anything is copied.
 */
export async function addTarget(dir: string, options: AddTargetOptions): Promise<AddedTarget> {
  const definition = delegatedRole(options.role);
  if (!definition)
    throw new RepositoryError(
      'usage',
      `"${options.role}" is not a role that signs targets (releases, trust, site, users, models).`,
    );
  if (!isPayloadType(options.type))
    throw new RepositoryError('usage', `"${options.type}" is not a payload type (${PAYLOAD_TYPES.join(', ')}).`);
  const type: PayloadType = options.type;
  const basename = checkTargetName(options.name);
  if (!options.name.startsWith(`${definition.prefix}/`))
    throw new RepositoryError(
      'refused',
      `The ${definition.name} role signs only targets under ${definition.prefix}/; "${options.name}" is not one.`,
    );
  if (!definition.types.includes(type))
    throw new RepositoryError(
      'refused',
      `The ${definition.name} role does not sign ${type} payloads (it signs ${definition.types.join(', ')}).`,
    );
  if (options.version !== undefined && !VERSION.test(options.version))
    throw new RepositoryError('usage', 'A version is 1 to 64 letters, digits, ".", "_", "+" or "-".');
  return withRepositoryLock(dir, async () => {
    const repo = loadRepository(dir);
    const copied = await copyTarget(options.file, join(targetsDir(dir), definition.prefix), basename);
    const custom = { enclave: { type, ...(options.version !== undefined ? { version: options.version } : {}) } };
    const staged = repo.delegated.get(definition.name)!;
    staged.signed.targets[options.name] = {
      length: copied.length,
      hashes: { sha256: copied.sha256, sha512: copied.sha512 },
      custom,
    };
    staged.signed.version += 1;
    staged.signed.expires = expiryAfter(options.now, repo.config.expiryDays.delegated);
    staged.signatures = [];
    saveStaged(repo, definition.name);
    restageSnapshotAndTimestamp(repo, [definition.name], options.now);
    return {
      role: definition.name,
      name: options.name,
      length: copied.length,
      sha256: copied.sha256,
      roleVersion: staged.signed.version,
      snapshotVersion: repo.snapshot.signed.version,
      timestampVersion: repo.timestamp.signed.version,
    };
  });
}

/** The basename of a target path `<dir>/<file>` of safe characters; anything else is refused. */
export function checkTargetName(name: string): string {
  const parts = name.split('/');
  if (
    name.length > 256 ||
    parts.length !== 2 ||
    !/^[a-z]+$/.test(parts[0]!) ||
    !BASENAME.test(parts[1]!) ||
    parts[1]!.includes('..')
  )
    throw new RepositoryError(
      'usage',
      `The target name "${name}" must be <directory>/<file>: one lower-case directory, then a file name of letters, digits, ".", "_", "+" or "-" (no "..", no leading "/" or ".").`,
    );
  return parts[1]!;
}

/** New versions of snapshot (listing `changed` roles' versions) and timestamp, fresh expiry, unsigned. */
export function restageSnapshotAndTimestamp(repo: Repository, changed: readonly string[], now: Date): void {
  const snapshot = repo.snapshot.signed;
  for (const role of changed) {
    const version = role === 'targets' ? repo.targets.signed.version : repo.delegated.get(role)!.signed.version;
    snapshot.meta[`${role}.json`] = { version };
  }
  snapshot.version += 1;
  snapshot.expires = expiryAfter(now, repo.config.expiryDays.snapshot);
  repo.snapshot.signatures = [];
  saveStaged(repo, 'snapshot');
  const timestamp = repo.timestamp.signed;
  timestamp.version += 1;
  timestamp.expires = expiryAfter(now, repo.config.expiryDays.timestamp);
  timestamp.meta = { 'snapshot.json': { version: snapshot.version } };
  timestamp['x-enclave-signed-at'] = isoSeconds(now);
  repo.timestamp.signatures = [];
  saveStaged(repo, 'timestamp');
}

/** Copies `source` into `dir` as `<sha256>.<basename>`, hashing as it goes; bounded, regular files only. */
async function copyTarget(
  source: string,
  dir: string,
  basename: string,
): Promise<{ length: number; sha256: string; sha512: string }> {
  let input: fs.FileHandle;
  try {
    input = await fs.open(source, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    throw new RepositoryError(
      'usage',
      `The target file ${source} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
    );
  }
  const temp = join(dir, `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const stat = await input.stat();
    if (!stat.isFile()) throw new RepositoryError('usage', `The target file ${source} is not a regular file.`);
    if (stat.size > MAX_TARGET_BYTES)
      throw new RepositoryError('usage', `The target file ${source} is over the ${MAX_TARGET_BYTES}-byte limit.`);
    ensureDir(dir);
    const output = await fs.open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    const sha256 = createHash('sha256');
    const sha512 = createHash('sha512');
    let length = 0;
    try {
      const chunk = Buffer.alloc(1024 * 1024);
      for (;;) {
        const { bytesRead } = await input.read(chunk, 0, chunk.length, length);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length > MAX_TARGET_BYTES)
          throw new RepositoryError('usage', `The target file ${source} grew past the ${MAX_TARGET_BYTES}-byte limit.`);
        const piece = chunk.subarray(0, bytesRead);
        sha256.update(piece);
        sha512.update(piece);
        await output.write(piece);
      }
      await output.sync();
    } finally {
      await output.close();
    }
    const digests = { length, sha256: sha256.digest('hex'), sha512: sha512.digest('hex') };
    await fs.rename(temp, join(dir, `${digests.sha256}.${basename}`));
    return digests;
  } finally {
    await input.close();
    await fs.rm(temp, { force: true });
  }
}
