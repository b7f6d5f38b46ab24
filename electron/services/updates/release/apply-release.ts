import type { TargetOutcome, VerifiedTarget } from '../payloads/update-target';
import { releaseVersionOf, stageRelease, type StageOptions } from './stage-release';
import { switchRelease } from './switch-release';

/**
 * Stages an app release and switches to it: what the update service runs for an `app/<file>`
 * target. The running app keeps its files; the new version runs from the next start, hence 'staged'.
 */
export async function applyAppRelease(
  root: string,
  target: VerifiedTarget,
  options: StageOptions = {},
): Promise<TargetOutcome> {
  releaseVersionOf(target);
  const staged = await stageRelease(root, target, options);
  const moved = switchRelease(root, staged.version, options);
  const removed = moved.removed.length > 0 ? `; old versions removed: ${moved.removed.join(', ')}` : '';
  return {
    name: target.name,
    kind: 'app-release',
    result: 'staged',
    detail: `app ${moved.from ?? '(none)'} → ${moved.to} (${staged.files} files, ${staged.bytes} bytes), runs from the next start${moved.from ? `; rollback returns to ${moved.from}` : ''}${removed}`,
  };
}
