import { rmSync } from 'node:fs';
import { ServiceError } from '../../service-error';
import { installedVersion, releaseVersionOf, stageRelease, switchRelease } from '../release';
import { refuseNotNewer } from '../release/stage-release';
import type { TargetOutcome, VerifiedTarget } from './update-target';

/** An app release checked against the install: staged before the store's transaction, switched to after it. */
export interface ReleaseChange {
  outcome: TargetOutcome;
  /** Unpacks and checks the release kit into versions/<version> (nothing switches yet). */
  stage(): Promise<void>;
  /** Removes what stage() made, when the store's transaction fails. */
  discard(): void;
  /** The one atomic pointer change: the new version runs from the next start. */
  switchTo(): void;
}

/**
 * The bundle's app release, if any: one per bundle, a version strictly newer than the installed one
 * (the same version again is unchanged, so a bundle applies twice without harm). `installRoot` is
 * where `versions/` and `current` live; without one (a development tree) an app release is refused.
 */
export function checkReleaseTarget(targets: VerifiedTarget[], installRoot: string | undefined): ReleaseChange | null {
  const found = targets.filter((t) => t.kind === 'app-release');
  if (found.length === 0) return null;
  if (found.length > 1)
    throw new ServiceError(
      'INVALID_ARGUMENT',
      `The bundle holds ${found.length} app releases (${found.map((t) => t.name).join(', ')}); it may hold one.`,
    );
  const target = found[0]!;
  const version = releaseVersionOf(target);
  if (!installRoot)
    throw new ServiceError(
      'FAILED_PRECONDITION',
      `${target.name} is an app release, and this Enclave has no install root (it runs from a development tree, or ENCLAVE_INSTALL_ROOT is not set): app releases apply only to an installed Enclave. Nothing was applied.`,
    );
  const installed = installedVersion(installRoot);
  if (installed === version)
    return {
      outcome: { name: target.name, kind: 'app-release', result: 'unchanged', detail: `app ${version} is installed` },
      stage: async () => {},
      discard: () => {},
      switchTo: () => {},
    };
  refuseNotNewer(installRoot, version, target.name);
  let stagedDir: string | null = null;
  return {
    outcome: {
      name: target.name,
      kind: 'app-release',
      result: 'staged',
      detail: `app ${installed ?? '(none)'} → ${version}, runs from the next start${installed ? `; rollback returns to ${installed}` : ''}`,
    },
    stage: async () => {
      stagedDir = (await stageRelease(installRoot, target)).dir;
    },
    discard: () => {
      if (stagedDir) rmSync(stagedDir, { recursive: true, force: true });
    },
    switchTo: () => {
      switchRelease(installRoot, version);
    },
  };
}
