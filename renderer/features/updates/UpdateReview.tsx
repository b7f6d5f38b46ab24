import { useId } from 'react';
import { ConfirmButton } from '../../components/ConfirmButton';
import { mayApply, useUpdatesState, type ReviewedUpdate } from '../../state/updates-state';
import { minute } from '../admin/uploads';
import { BundleProblem } from '../bundles/BundleProblem';
import { handOverAgain } from './ChooseUpdateFile';
import type { UpdatesView } from './updates-view';
import { size, UpdateRolesTable, UpdateTargetsTable } from './UpdateTables';

/** The lock-out warning, and the box the administrator ticks to apply anyway. */
function LockoutWarning({ lockout, understood, busy }: { lockout: string; understood: boolean; busy: boolean }) {
  const id = useId();
  return (
    <div className="notice notice--strong update-lockout" role="alert" data-testid="update-lockout">
      <p>
        <strong>Applying this bundle would lock out every administrator.</strong> {lockout}
      </p>
      <label htmlFor={id} className="update-lockout__confirm">
        <input
          id={id}
          type="checkbox"
          checked={understood}
          disabled={busy}
          onChange={(event) => useUpdatesState.getState().understandLockout(event.currentTarget.checked)}
          data-testid="update-lockout-understood"
        />{' '}
        I understand: apply even though no administrator card would sign in
      </label>
    </div>
  );
}

/** Apply hands the same file over again (a handle serves one call), and the service verifies it again. */
async function applyReviewed(reviewed: ReviewedUpdate) {
  const { apply, report } = useUpdatesState.getState();
  const chosen = await handOverAgain(reviewed.source);
  if (!chosen.ok) return report('apply', chosen.error);
  if (chosen.value) await apply(chosen.value);
}

/** What the bundle on the media holds, verified, and what applying it would do: nothing is applied yet. */
export function UpdateReview({ reviewed, view }: { reviewed: ReviewedUpdate; view: UpdatesView }) {
  const { busy, lockoutUnderstood, applyProblem } = view;
  const { inspection } = reviewed;
  const allowed = mayApply({ reviewed, lockoutUnderstood, busy });
  const applying = busy === 'apply';
  const again = reviewed.source ? '' : ' You will be asked to choose the same bundle file again.';
  return (
    <article
      className="bundle-card bundle-card--waiting"
      aria-labelledby="update-review-title"
      data-testid="update-review"
    >
      <div className="bundle-card__head">
        <h3 id="update-review-title">Review: {reviewed.name}</h3>
        <span className="muted">verified, not applied</span>
      </div>
      {inspection.lockout && (
        <LockoutWarning lockout={inspection.lockout} understood={lockoutUnderstood} busy={busy !== null} />
      )}
      <dl className="bundle-facts">
        <dt>File</dt>
        <dd>
          {reviewed.name}, {size(reviewed.size)}
        </dd>
        <dt>Verified time</dt>
        <dd data-testid="update-verified-time">
          {inspection.verifiedTime
            ? `${minute(inspection.verifiedTime)}: the newest time this workstation will have verified`
            : 'none given'}
        </dd>
      </dl>
      <h4>Roles</h4>
      <UpdateRolesTable inspection={inspection} />
      <h4>Targets</h4>
      <UpdateTargetsTable inspection={inspection} verb="would" />
      <div className="bundle-review">
        <ConfirmButton
          label={applying ? 'Applying…' : 'Apply…'}
          question={`Apply this update, every target above in one step? It is verified again first.${again}`}
          confirmLabel="Yes, apply"
          disabled={!allowed}
          onConfirm={() => void applyReviewed(reviewed)}
          testId="update-apply"
        />
        <button
          type="button"
          className="button button--small"
          disabled={busy !== null}
          onClick={() => useUpdatesState.getState().dismiss()}
          data-testid="update-dismiss"
        >
          Put it aside
        </button>
        {inspection.lockout && !lockoutUnderstood && (
          <span className="muted" data-testid="update-apply-held">
            Tick the box above to apply despite the lock-out.
          </span>
        )}
      </div>
      <BundleProblem error={applyProblem} testId="update-apply-problem" />
    </article>
  );
}
