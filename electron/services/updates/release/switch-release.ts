import { randomBytes } from 'node:crypto';
import { lstatSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileDurably } from '../../vault/keyslots';
import { ServiceError } from '../../service-error';
import {
  CURRENT,
  CURRENT_NEW_PREFIX,
  fsyncDir,
  listInstalled,
  pointerTarget,
  PREVIOUS,
  readCurrent,
  readPrevious,
  REMOVING_PREFIX,
  versionDir,
  versionPresent,
  versionsDir,
} from './release-layout';
import type { ReleaseObserver, ReleaseStep } from './release-steps';
import { compareReleaseVersions, isReleaseVersion } from './release-version';

export interface ReleaseSwitch {
  /** The version `current` pointed at before (null when none was installed). */
  from: string | null;
  to: string;
  /** Old versions deleted to keep the install small. */
  removed: string[];
}

const refuse = (message: string) => new ServiceError('FAILED_PRECONDITION', message);

/** A folder the stage renamed into place holds its SHA256SUMS: anything else was not made by a stage. */
function refuseIncomplete(root: string, version: string): void {
  if (!versionPresent(root, version))
    throw refuse(`Version ${version} is not installed (${versionDir(root, version)} is missing); nothing was changed.`);
  if (!lstatSync(join(versionDir(root, version), 'SHA256SUMS'), { throwIfNoEntry: false })?.isFile())
    throw refuse(`${versionDir(root, version)} holds no SHA256SUMS: it is not a complete release; nothing was changed.`);
}

/**
 * The one atomic change: a new link `current.new-<random>` → versions/<version>, renamed over
 * `current` (rename(2) replaces it in one step), then the folder fsynced. A crash leaves `current`
 * at the old or the new version and at worst an unused current.new- link.
 */
function movePointer(
  root: string,
  version: string,
  step: (s: ReleaseStep) => void,
  steps: { made: ReleaseStep; moved: ReleaseStep },
): void {
  const link = join(root, `${CURRENT_NEW_PREFIX}${randomBytes(6).toString('hex')}`);
  symlinkSync(pointerTarget(version), link);
  try {
    fsyncDir(root);
    step(steps.made);
    renameSync(link, join(root, CURRENT));
  } catch (error) {
    rmSync(link, { force: true });
    throw error;
  }
  fsyncDir(root);
  step(steps.moved);
}

/** Deletes versions beyond the two newest, never the current or the previous one. Returns those deleted. */
function pruneVersions(root: string, keep: (string | null)[], step: (s: ReleaseStep) => void): string[] {
  const installed = listInstalled(root);
  const kept = new Set([...keep, ...installed.slice(0, 2)]);
  const removed: string[] = [];
  for (const version of installed) {
    if (kept.has(version)) continue;
    // Renamed aside first, so a crash mid-delete leaves a .removing- folder, never a half version.
    const aside = join(versionsDir(root), `${REMOVING_PREFIX}${version}-${randomBytes(6).toString('hex')}`);
    renameSync(versionDir(root, version), aside);
    fsyncDir(versionsDir(root));
    step('switch:old-moved-aside');
    rmSync(aside, { recursive: true, force: true });
    removed.push(version);
  }
  return removed;
}

/**
 * Points `current` at a staged version newer than the running one, recording the running one in
 * `previous` (written atomically, before the pointer moves) for rollback, then deletes old versions.
 */
export function switchRelease(root: string, version: string, options: ReleaseObserver = {}): ReleaseSwitch {
  const step = options.onStep ?? (() => undefined);
  if (!isReleaseVersion(version))
    throw new ServiceError('INVALID_ARGUMENT', `"${version}" is not a release version (MAJOR.MINOR.PATCH[-pre]).`);
  refuseIncomplete(root, version);
  const from = readCurrent(root)?.version ?? null;
  if (from !== null && compareReleaseVersions(version, from) <= 0)
    throw refuse(
      from === version
        ? `${version} is already the running version; nothing was changed.`
        : `${version} is older than the running version ${from}; only a rollback goes back. Nothing was changed.`,
    );
  if (from !== null) writeFileDurably(join(root, PREVIOUS), `${from}\n`);
  else rmSync(join(root, PREVIOUS), { force: true });
  step('switch:previous-recorded');
  movePointer(root, version, step, { made: 'switch:pointer-made', moved: 'switch:pointer-moved' });
  const removed = pruneVersions(root, [version, from], step);
  step('switch:old-removed');
  return { from, to: version, removed };
}

/**
 * Points `current` back at `previous`. The version rolled back from stays installed (applying its
 * bundle again moves forward to it); `previous` is then cleared, so a second rollback is refused
 * rather than going forward again.
 */
export function rollbackRelease(root: string, options: ReleaseObserver = {}): ReleaseSwitch {
  const step = options.onStep ?? (() => undefined);
  const previous = readPrevious(root);
  const current = readCurrent(root);
  if (previous === null)
    throw refuse('There is no earlier version to roll back to (no update has been applied since the last rollback or install); nothing was changed.');
  if (current?.version === previous)
    throw refuse(`The recorded previous version ${previous} is the running version; there is nothing to roll back to. Nothing was changed.`);
  if (!versionPresent(root, previous))
    throw refuse(
      `The previous version ${previous} cannot be rolled back to: its folder ${versionDir(root, previous)} is gone. Nothing was changed.`,
    );
  refuseIncomplete(root, previous);
  movePointer(root, previous, step, { made: 'rollback:pointer-made', moved: 'rollback:pointer-moved' });
  rmSync(join(root, PREVIOUS), { force: true });
  fsyncDir(root);
  step('rollback:previous-cleared');
  return { from: current?.version ?? null, to: previous, removed: [] };
}
