/** App releases from update bundles: staged install, one atomic pointer switch, rollback (docs/updates.md, "App releases"). */
export { installedVersion, readCurrent, readPrevious, listInstalled, type CurrentPointer } from './release-layout';
export { stageRelease, releaseVersionOf, type StagedRelease, type StageOptions } from './stage-release';
export { switchRelease, rollbackRelease, type ReleaseSwitch } from './switch-release';
export { recoverInterruptedRelease, releaseState, type ReleaseState, type RecoveryReport } from './recover-release';
export { applyAppRelease } from './apply-release';
export { compareReleaseVersions, isReleaseVersion } from './release-version';
export type { ReleaseStep, ReleaseObserver } from './release-steps';
