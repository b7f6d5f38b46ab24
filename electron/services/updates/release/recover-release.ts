import { lstatSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  CURRENT_NEW_PREFIX,
  fsyncDir,
  listInstalled,
  PREVIOUS,
  PREVIOUS_TEMP_PREFIX,
  readCurrent,
  readPrevious,
  REMOVING_PREFIX,
  STAGING_PREFIX,
  versionOfPointer,
  versionPresent,
  versionsDir,
  type CurrentPointer,
} from './release-layout';

/** Something an interrupted apply left behind, and how to clear it. */
interface Leftover {
  path: string;
  /** One line, in the past tense when cleared, else as found. */
  describe(cleared: boolean): string;
}

export interface ReleaseState {
  /** Null when nothing is installed, or when `current` is not a link Enclave made (see problems). */
  current: CurrentPointer | null;
  previous: string | null;
  /** Complete versions under versions/, newest first. */
  installed: string[];
  /** What interrupted applies left behind (status: as found). */
  interrupted: string[];
  /** What Enclave will not repair by itself: a pointer at a missing folder, a damaged record. */
  problems: string[];
}

export interface RecoveryReport {
  /** One line per leftover found and removed. */
  cleaned: string[];
  /** Loud: left as found, for an administrator to act on. */
  problems: string[];
}

/** `<version>-<random hex>` after a prefix → the version (the random part is 12 hex digits). */
const versionIn = (name: string, prefix: string) => name.slice(prefix.length).replace(/-[0-9a-f]{12}$/, '');

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function scan(root: string) {
  const problems: string[] = [];
  let current: CurrentPointer | null = null;
  let pointerBroken = false;
  try {
    current = readCurrent(root);
  } catch (error) {
    pointerBroken = true;
    problems.push(`${(error as Error).message} No version will start until it is repaired or reinstalled.`);
  }
  let previous: string | null = null;
  try {
    previous = readPrevious(root);
  } catch (error) {
    problems.push(`${(error as Error).message} Rollback is not possible until it is removed.`);
  }
  if (current && !current.present)
    problems.push(
      `current points at versions/${current.version}, which is missing: that version cannot start. Nothing was changed; ` +
        (previous && versionPresent(root, previous)
          ? `roll back to ${previous} (enclave update rollback) or reinstall.`
          : 'reinstall Enclave.'),
    );
  if (previous && previous !== current?.version && !versionPresent(root, previous))
    problems.push(`previous names ${previous}, whose folder is gone: rollback is not possible.`);
  const running =
    pointerBroken || (current && !current.present)
      ? 'the running version is in doubt (see the problem reported)'
      : current
        ? `${current.version} is still the running version`
        : 'no version is installed yet';

  const leftovers: Leftover[] = [];
  for (const name of entries(versionsDir(root))) {
    const path = join(versionsDir(root), name);
    if (name.startsWith(STAGING_PREFIX)) {
      const version = versionIn(name, STAGING_PREFIX);
      // Once the checked release is renamed out, the staging folder holds at most an older copy.
      const staged = !lstatSync(join(path, 'release'), { throwIfNoEntry: false }) && versionPresent(root, version);
      leftovers.push({
        path,
        describe: (cleared) =>
          staged
            ? `an app update to ${version} was interrupted after staging: versions/${version} is complete but was not switched to; its staging folder ${cleared ? 'was removed' : `is ${path}`}; ${running}`
            : `an app update to ${version} was interrupted while staging; its partial files ${cleared ? 'were removed' : `are in ${path}`}; ${running}`,
      });
    } else if (name.startsWith(REMOVING_PREFIX)) {
      const version = versionIn(name, REMOVING_PREFIX);
      leftovers.push({
        path,
        describe: (cleared) =>
          `deleting the old app version ${version} was interrupted; its remaining files ${cleared ? 'were removed' : `are in ${path}`}`,
      });
    }
  }
  for (const name of entries(root)) {
    const path = join(root, name);
    if (name.startsWith(CURRENT_NEW_PREFIX)) {
      let target = '';
      try {
        target = readlinkSync(path);
      } catch {
        // not a link: still ours by its name, and never followed
      }
      const version = versionOfPointer(target) ?? 'an unknown version';
      leftovers.push({
        path,
        describe: (cleared) =>
          `an app update switch to ${version} was interrupted before the pointer moved; its unused link ${cleared ? 'was removed' : `is ${path}`}; ${running}`,
      });
    } else if (name.startsWith(PREVIOUS_TEMP_PREFIX)) {
      leftovers.push({
        path,
        describe: (cleared) =>
          `recording the version to roll back to was interrupted; the unfinished record ${cleared ? 'was removed' : `is ${path}`}`,
      });
    }
  }
  if (previous !== null && previous === current?.version)
    leftovers.push({
      path: join(root, PREVIOUS),
      describe: (cleared) =>
        `the rollback record names the running version ${previous} (a switch or rollback was interrupted next to the pointer change); ${cleared ? 'it was cleared: ' : ''}there is nothing to roll back to`,
    });
  return { current, previous, leftovers, problems };
}

/** Where the install stands, changing nothing (`enclave update release-status`). */
export function releaseState(root: string): ReleaseState {
  const found = scan(root);
  return {
    current: found.current,
    previous: found.previous === found.current?.version ? null : found.previous,
    installed: listInstalled(root),
    interrupted: found.leftovers.map((l) => l.describe(false)),
    problems: found.problems,
  };
}

/**
 * Run at start, before anything else touches the install: removes what interrupted applies left
 * (staging and removal folders, unused pointer links, unfinished records) and reports each as a
 * line. A `current` that points at a missing folder is reported as a problem and left alone.
 */
export function recoverInterruptedRelease(root: string): RecoveryReport {
  if (!lstatSync(root, { throwIfNoEntry: false })) return { cleaned: [], problems: [] };
  const found = scan(root);
  for (const leftover of found.leftovers) rmSync(leftover.path, { recursive: true, force: true });
  if (found.leftovers.length > 0) {
    fsyncDir(root);
    if (lstatSync(versionsDir(root), { throwIfNoEntry: false })) fsyncDir(versionsDir(root));
  }
  return { cleaned: found.leftovers.map((l) => l.describe(true)), problems: found.problems };
}
