import { useUpdatesState } from '../../state/updates-state';
import type { UpdatesView } from './updates-view';
import { BundleProblem } from '../bundles/BundleProblem';
import { ChooseUpdateFile } from './ChooseUpdateFile';
import { UpdateReview } from './UpdateReview';
import { UpdateTargetsTable } from './UpdateTables';

/** Insert media → choose the bundle → review what it would do → apply; each refusal in the service's words. */
export function ApplyUpdate({ view }: { view: UpdatesView }) {
  const { root, busy, reviewed, inspectProblem, applied } = view;
  const { inspect, report } = useUpdatesState.getState();
  return (
    <section className="panel panel--wide" aria-labelledby="update-apply-title" data-testid="update-apply-panel">
      <h2 id="update-apply-title">Apply an update</h2>
      <div className="trust-import__picker">
        <ChooseUpdateFile
          label={busy === 'inspect' ? 'Verifying the bundle…' : 'Choose the update bundle…'}
          disabled={busy !== null || !root}
          testId="update-inspect"
          onChosen={(file, source) => inspect(file, source)}
          onProblem={(error) => report('inspect', error)}
        />
        <span className="muted">
          {root
            ? 'Insert the media, then choose the update bundle (one .tar). It is verified against the trusted update root and shown here; nothing is applied until you apply it.'
            : 'Trust an update root first: every bundle is verified from it.'}
        </span>
      </div>
      <BundleProblem error={inspectProblem} testId="update-inspect-problem" />
      {reviewed && <UpdateReview reviewed={reviewed} view={view} />}
      {applied && (
        <div className="update-applied" data-testid="update-applied">
          <p className="notice-ok" role="status">
            Applied as update #{applied.id}.
          </p>
          <UpdateTargetsTable inspection={applied.inspection} verb="did" />
        </div>
      )}
    </section>
  );
}
