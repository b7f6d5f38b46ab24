import { useEffect } from 'react';
import { MarkingPicker } from '../../components/MarkingPicker';
import { PortionMark } from '../../components/PortionMark';
import { useMarkingDraftState, useMarkingPolicyState } from '../../state/marking-state';

/**
 * The home screen's Markings panel: one MarkingPicker over the marking being built
 * (MarkingDraftState), checked against the site's policy (MarkingPolicyState) and by the service.
 */
export function MarkingsPanel() {
  const phase = useMarkingPolicyState((s) => s.phase);
  const context = useMarkingPolicyState((s) => s.context);
  const loadError = useMarkingPolicyState((s) => s.loadError);
  const loadPolicy = useMarkingPolicyState((s) => s.load);
  const marking = useMarkingDraftState((s) => s.marking);
  const verdict = useMarkingDraftState((s) => s.verdict);
  const choose = useMarkingDraftState((s) => s.choose);
  const check = useMarkingDraftState((s) => s.check);
  useEffect(() => void loadPolicy(), [loadPolicy]);
  // The service is asked about the marking once the policy is known (and again after a lock forgot the answer).
  useEffect(() => {
    if (context && verdict === null) void check();
  }, [context, verdict, check]);

  return (
    <section className="panel panel--wide" aria-labelledby="markings-title" data-testid="markings-panel">
      <div className="panel__heading">
        <h2 id="markings-title">Markings</h2>
        {phase === 'ready' && (
          <span className="muted">
            current portion mark <PortionMark marking={marking} />
          </span>
        )}
      </div>
      {phase === 'failed' ? (
        <p className="field-problem" role="alert" data-testid="marking-picker-error">
          The marking policy could not be loaded: {loadError}
        </p>
      ) : context ? (
        <MarkingPicker value={marking} onChange={choose} context={context} verdict={verdict} />
      ) : (
        <p className="muted">Loading the site's marking policy…</p>
      )}
    </section>
  );
}
