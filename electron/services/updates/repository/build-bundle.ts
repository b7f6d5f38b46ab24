import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeBundleTar } from '../../bundles/tar';
import { encodeRoleName } from '../tuf/role-names';
import { RepositoryError } from './errors';
import { ensureDir, writeFileAtomic } from './files';
import { loadRepository, rootHistory, stagedOf, targetsDir, type Repository } from './repository';
import { ALL_ROLES } from './roles';
import { roleSignatures } from './sign-repository';
import { verifyMedia } from './verify-media';

export interface BuildOptions {
  readonly force?: boolean;
  readonly now: Date;
}

/** The carried form an administrator's Updates page and `enclave update apply` take: one tar of metadata/ and targets/. */
export const UPDATE_TAR_NAME = 'enclave-update.tar';

export interface BuiltMedia {
  readonly mediaDir: string;
  /** `<mediaDir>/enclave-update.tar`. */
  readonly tar: string;
  readonly metadataFiles: readonly string[];
  readonly targets: readonly string[];
}

/**
 * Writes the media an administrator carries to the workstations: `metadata/` with every root version
 * (N.root.json), N.snapshot.json, N.targets.json, N.<role>.json and timestamp.json, and `targets/`
 * with every target under its consistent-snapshot name, and `enclave-update.tar`, the same two folders as
 * one file (what the administrator picks; the folders serve `enclave tuf-client`). Refuses unless every role meets its threshold
 * and none has expired; builds in a temporary directory beside `mediaDir`, verifies it there with the
 * client from the repository's first root, and only then renames it into place.
 */
export async function buildBundle(dir: string, mediaDir: string, options: BuildOptions): Promise<BuiltMedia> {
  const repo = loadRepository(dir);
  const short = ALL_ROLES.map((role) => roleSignatures(repo, role)).filter((r) => r.signatures < r.threshold);
  if (short.length > 0)
    throw new RepositoryError(
      'refused',
      `Not every role is signed: ${short.map((r) => `${r.role} v${r.version} has ${r.signatures} of ${r.threshold} signatures`).join('; ')}.`,
    );
  const expired = ALL_ROLES.filter((role) => Date.parse(stagedOf(repo, role).signed.expires) <= options.now.getTime());
  if (expired.length > 0)
    throw new RepositoryError('refused', `Expired metadata: ${expired.join(', ')}; restage and sign again.`);
  if (existsSync(mediaDir) && !options.force)
    throw new RepositoryError(
      'refused',
      `${mediaDir} already exists; choose another directory or give --force to replace it.`,
    );
  const temp = join(dirname(mediaDir), `.${basename(mediaDir)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    ensureDir(temp);
    const { files, firstRoot } = writeMetadata(repo, join(temp, 'metadata'));
    const targets = copyTargets(repo, join(temp, 'targets'));
    await verifyMedia(temp, firstRoot, targets, options.now);
    const tar = `${temp}.tar`;
    try {
      await writeBundleTar(temp, tar);
      chmodSync(tar, 0o600);
      renameSync(tar, join(temp, UPDATE_TAR_NAME));
    } finally {
      rmSync(tar, { force: true });
    }
    replaceDirectory(temp, mediaDir);
    return { mediaDir, tar: join(mediaDir, UPDATE_TAR_NAME), metadataFiles: files, targets };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

const envelopeText = (staged: { signed: unknown; signatures: unknown }) =>
  `${JSON.stringify({ signed: staged.signed, signatures: staged.signatures }, null, 2)}\n`;

function writeMetadata(repo: Repository, metadata: string): { files: string[]; firstRoot: Uint8Array } {
  const files: string[] = [];
  const write = (name: string, data: string | Uint8Array) => {
    writeFileAtomic(join(metadata, name), data);
    files.push(name);
  };
  const currentRoot = envelopeText(repo.root);
  const history = rootHistory(repo.dir).filter(([version]) => version < repo.root.signed.version);
  for (const [version, bytes] of history) write(`${version}.root.json`, bytes);
  write(`${repo.root.signed.version}.root.json`, currentRoot);
  for (const role of ALL_ROLES.filter((r) => r !== 'root' && r !== 'timestamp')) {
    const staged = stagedOf(repo, role);
    write(`${staged.signed.version}.${encodeRoleName(role)}.json`, envelopeText(staged));
  }
  write('timestamp.json', envelopeText(repo.timestamp));
  const firstRoot = history[0]?.[1] ?? Buffer.from(currentRoot, 'utf8');
  return { files, firstRoot };
}

/** Copies every target of every delegated role; returns their target paths. */
function copyTargets(repo: Repository, targets: string): string[] {
  const paths: string[] = [];
  for (const [role, staged] of repo.delegated) {
    for (const [path, file] of Object.entries(staged.signed.targets)) {
      const slash = path.lastIndexOf('/');
      const name = `${file.hashes.sha256}.${path.slice(slash + 1)}`;
      const directory = path.slice(0, slash);
      const source = join(targetsDir(repo.dir), directory, name);
      if (!/^[a-z]+$/.test(directory) || !/^[0-9a-f]{64}\.[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(name))
        throw new RepositoryError('refused', `The ${role} role lists a target with an unsafe name: "${path}".`);
      if (!existsSync(source))
        throw new RepositoryError(
          'refused',
          `The target ${path} of the ${role} role is missing from ${targetsDir(repo.dir)}.`,
        );
      ensureDir(join(targets, directory));
      copyFileSync(source, join(targets, directory, name));
      chmodSync(join(targets, directory, name), 0o600); // whatever mode the file had in R
      paths.push(path);
    }
  }
  return paths;
}

/** Puts `built` at `target`, replacing what is there (only reached with --force) in two renames. */
function replaceDirectory(built: string, target: string): void {
  if (!existsSync(target)) {
    renameSync(built, target);
    return;
  }
  const old = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.old`);
  renameSync(target, old);
  try {
    renameSync(built, target);
  } catch (error) {
    renameSync(old, target);
    throw error;
  }
  rmSync(old, { recursive: true, force: true });
}
