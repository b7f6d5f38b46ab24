import { closeSync, fsyncSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ServiceError } from '../../service-error';
import { compareReleaseVersions, isReleaseVersion } from './release-version';

/**
 * The install layout (docs/updates.md, "App releases"): `<root>/versions/<version>/` per installed
 * version, `<root>/current` a relative symlink `versions/<version>` the launcher follows, and
 * `<root>/previous` naming the version a rollback returns to. Everything else under the root with
 * the names below is left by an apply that was interrupted.
 */
export const VERSIONS = 'versions';
export const CURRENT = 'current';
export const PREVIOUS = 'previous';
/** versions/.staging-<version>-<random>: a release being extracted and checked. */
export const STAGING_PREFIX = '.staging-';
/** versions/.removing-<version>-<random>: an old version being deleted. */
export const REMOVING_PREFIX = '.removing-';
/** current.new-<random>: the next pointer, before it is renamed over `current`. */
export const CURRENT_NEW_PREFIX = 'current.new-';
/** previous.tmp-<random>: writeFileDurably's temporary file for `previous`. */
export const PREVIOUS_TEMP_PREFIX = 'previous.tmp-';

export const versionsDir = (root: string) => join(root, VERSIONS);
export const versionDir = (root: string, version: string) => join(root, VERSIONS, version);
/** What `current` holds when it points at a version: relative, so the install root can move. */
export const pointerTarget = (version: string) => `${VERSIONS}/${version}`;

export interface CurrentPointer {
  version: string;
  /** False when the folder it names is missing: nothing would start. */
  present: boolean;
}

const refuse = (message: string) => new ServiceError('FAILED_PRECONDITION', message);

function isDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The version a `versions/<version>` link text names, or null for anything else. */
export function versionOfPointer(text: string): string | null {
  const prefix = `${VERSIONS}/`;
  if (!text.startsWith(prefix)) return null;
  const version = text.slice(prefix.length);
  return isReleaseVersion(version) ? version : null;
}

/** What `current` points at; null when there is none. Anything but a `versions/<version>` link is refused. */
export function readCurrent(root: string): CurrentPointer | null {
  const path = join(root, CURRENT);
  let isLink: boolean;
  try {
    isLink = lstatSync(path).isSymbolicLink();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw refuse(`${path} cannot be read (${(error as Error).message}).`);
  }
  if (!isLink) throw refuse(`${path} is not a link to versions/<version>; Enclave does not guess what to run.`);
  const text = readlinkSync(path);
  const version = versionOfPointer(text);
  if (version === null)
    throw refuse(`${path} points at "${text}", not at versions/<version>; Enclave does not guess what to run.`);
  return { version, present: isDirectory(versionDir(root, version)) };
}

/** The version `current` points at, or null when nothing is installed. */
export function installedVersion(root: string): string | null {
  return readCurrent(root)?.version ?? null;
}

/** The version `previous` names (what a rollback returns to), or null when there is none. */
export function readPrevious(root: string): string | null {
  const path = join(root, PREVIOUS);
  let text: string;
  try {
    if (lstatSync(path).size > 128) throw refuse(`${path} is larger than a version; it was not written by Enclave.`);
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error instanceof ServiceError ? error : refuse(`${path} cannot be read (${(error as Error).message}).`);
  }
  const version = text.trim();
  if (!isReleaseVersion(version)) throw refuse(`${path} does not hold a release version.`);
  return version;
}

/** Complete installed versions (folders under versions/ named as a version), newest first. */
export function listInstalled(root: string): string[] {
  let names: string[];
  try {
    names = readdirSync(versionsDir(root));
  } catch {
    return [];
  }
  return names
    .filter((name) => isReleaseVersion(name) && isDirectory(versionDir(root, name)))
    .sort((a, b) => compareReleaseVersions(b, a));
}

export function versionPresent(root: string, version: string): boolean {
  return isDirectory(versionDir(root, version));
}

/** Makes a rename or a new entry in `dir` durable. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
