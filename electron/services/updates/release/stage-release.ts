import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractBundleTar, TarError, type TarLimits } from '../../bundles/tar';
import { ServiceError } from '../../service-error';
import type { VerifiedTarget } from '../payloads/update-target';
import { fsyncDir, readCurrent, STAGING_PREFIX, versionDir, versionsDir } from './release-layout';
import { checkReleaseKit, ReleaseKitError } from './release-sums';
import type { ReleaseObserver } from './release-steps';
import { compareReleaseVersions, isReleaseVersion } from './release-version';

export interface StageOptions extends ReleaseObserver {
  /** Bounds on the release's tar; the bundle tar's defaults otherwise. */
  limits?: Partial<TarLimits>;
}

export interface StagedRelease {
  version: string;
  files: number;
  bytes: number;
  dir: string;
}

/** The release version a target carries, checked: an app release with a MAJOR.MINOR.PATCH[-pre] version. */
export function releaseVersionOf(target: VerifiedTarget): string {
  if (target.kind !== 'app-release')
    throw new ServiceError('INVALID_ARGUMENT', `${target.name} is not an app release (it is a ${target.kind}).`);
  if (target.version === null)
    throw new ServiceError('INVALID_ARGUMENT', `The app release ${target.name} carries no version in its metadata.`);
  if (!isReleaseVersion(target.version))
    throw new ServiceError(
      'INVALID_ARGUMENT',
      `The app release ${target.name} has version "${target.version}", not MAJOR.MINOR.PATCH or MAJOR.MINOR.PATCH-pre.`,
    );
  return target.version;
}

/** Refuses a version that is not strictly newer than the one `current` points at. */
export function refuseNotNewer(root: string, version: string, name: string): void {
  const installed = readCurrent(root)?.version ?? null;
  if (installed === null) return;
  const order = compareReleaseVersions(version, installed);
  if (order === 0)
    throw new ServiceError(
      'FAILED_PRECONDITION',
      `The app release ${version} (${name}) is the version already installed; nothing was changed.`,
    );
  if (order < 0)
    throw new ServiceError(
      'FAILED_PRECONDITION',
      `The app release ${version} (${name}) is older than the installed version ${installed}; an update never goes back (use rollback for that). Nothing was changed.`,
    );
}

/** fsyncs every file and folder under dir, then dir itself: the release is on disk before it is named. */
function syncTree(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (lstatSync(path).isDirectory()) syncTree(path);
    else {
      const fd = openSync(path, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
  }
  fsyncDir(dir);
}

/**
 * Extracts a verified app release into `versions/.staging-<version>-<random>` (0700) with the safe
 * tar reader, checks it against its SHA256SUMS, fsyncs it and renames it to `versions/<version>`.
 * Refuses a version not newer than the installed one. Any refusal or failure removes the staging
 * folder; a crash leaves it for recoverInterruptedRelease. `current` is not touched.
 */
export async function stageRelease(
  root: string,
  target: VerifiedTarget,
  options: StageOptions = {},
): Promise<StagedRelease> {
  const step = options.onStep ?? (() => undefined);
  const version = releaseVersionOf(target);
  try {
    if (!lstatSync(root).isDirectory()) throw new Error('it is not a folder');
  } catch (error) {
    throw new ServiceError('FAILED_PRECONDITION', `The install root ${root} cannot be used (${(error as Error).message}).`);
  }
  refuseNotNewer(root, version, target.name);
  mkdirSync(versionsDir(root), { recursive: true, mode: 0o755 });
  const staging = join(versionsDir(root), `${STAGING_PREFIX}${version}-${randomBytes(6).toString('hex')}`);
  mkdirSync(staging, { mode: 0o700 });
  step('stage:folder-made');
  try {
    const tar = join(staging, 'release.tar');
    writeFileSync(tar, target.bytes, { flag: 'wx', mode: 0o600 });
    step('stage:tar-written');
    const tree = join(staging, 'release');
    try {
      await extractBundleTar([tar], tree, options.limits);
    } catch (error) {
      if (!(error instanceof TarError)) throw error;
      throw new ReleaseKitError(`its tar was refused${error.path ? ` at ${error.path}` : ''}: ${error.message}`);
    }
    rmSync(tar);
    step('stage:extracted');
    const kit = checkReleaseKit(tree);
    step('stage:checked');
    syncTree(tree);
    fsyncDir(staging);
    step('stage:synced');
    const final = versionDir(root, version);
    // A complete folder left by an earlier interrupted apply is moved into staging, so a crash from
    // here on still leaves only a .staging- folder behind.
    if (lstatSync(final, { throwIfNoEntry: false })) {
      renameSync(final, join(staging, 'replaced'));
      step('stage:old-moved-aside');
    }
    renameSync(tree, final);
    fsyncDir(versionsDir(root));
    step('stage:renamed');
    rmSync(staging, { recursive: true, force: true });
    return { version, files: kit.files, bytes: kit.bytes, dir: final };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (error instanceof ReleaseKitError)
      throw new ServiceError(
        'INVALID_ARGUMENT',
        `The app release ${version} (${target.name}) was refused: ${error.message} Nothing was installed.`,
      );
    throw error;
  }
}
