import { useSetupState } from '../../state/setup-state';
import { ServiceProblem } from '../../components/ServiceProblem';

/** (e) A last look, then setup is recorded as finished and the workstation locks for the card to sign in. */
export function FinishStep() {
  const progress = useSetupState((s) => s.progress);
  const busy = useSetupState((s) => s.busy);
  const problem = useSetupState((s) => s.problem);
  const finish = useSetupState((s) => s.finish);
  const goTo = useSetupState((s) => s.goTo);
  const ready = progress !== null && progress.trustAnchors > 0 && progress.adminCards > 0;
  return (
    <div className="setup-form" data-testid="setup-finish">
      {!progress && <p className="muted">Reading what has been set up…</p>}
      {progress && (
        <dl className="facts" data-testid="setup-summary">
          <dt>Site</dt>
          <dd>{progress.siteName}</dd>
          <dt>System high</dt>
          <dd>{progress.systemHigh}</dd>
          <dt>Trust anchors</dt>
          <dd data-testid="setup-summary-anchors">{progress.trustAnchors}</dd>
          <dt>Administrator cards</dt>
          <dd data-testid="setup-summary-admins">{progress.adminCards}</dd>
        </dl>
      )}
      <p>
        Finishing records setup as complete and locks the workstation. Then sign in with the administrator’s card and
        its PIN.
      </p>
      <ServiceProblem error={problem} testId="setup-problem" />
      <div className="wizard-nav">
        <button type="button" className="button" onClick={() => goTo('card')} disabled={busy}>
          Back
        </button>
        <button
          type="button"
          className="button button--primary"
          onClick={() => void finish()}
          disabled={busy || !ready}
          data-testid="setup-finish-button"
        >
          {busy ? 'Finishing…' : 'Finish setup and lock'}
        </button>
      </div>
    </div>
  );
}
