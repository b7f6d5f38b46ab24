import { useEffect } from 'react';
import { useSetupState } from '../../state/setup-state';
import { useUsersState } from '../../state/users-state';
import { EnrollCard } from '../admin/EnrollCard';
import { ServiceProblem } from '../../components/ServiceProblem';

/** (d) The first administrator's card: after setup, it and its PIN sign in. */
export function CardStep() {
  const load = useUsersState((s) => s.load);
  const users = useUsersState((s) => s.users);
  const problem = useUsersState((s) => s.problem);
  const notice = useUsersState((s) => s.notice);
  const goTo = useSetupState((s) => s.goTo);
  const loadProgress = useSetupState((s) => s.loadProgress);
  useEffect(() => void load(), [load]);
  const admins = (users ?? []).filter((u) => u.role === 'admin' && u.disabledAt === null && u.cardSlots.length > 0);
  return (
    <div className="setup-form setup-form--wide" data-testid="setup-card">
      <p>
        Insert your card and enroll it as administrator. Its certificates are read and checked against the trust anchors
        and CRLs just imported; no PIN is asked now. After setup, this card and its PIN sign in, and the recovery secret
        is only for when no card works.
      </p>
      <EnrollCard role="admin" onEnrolled={() => void loadProgress()} />
      <ServiceProblem error={problem} testId="setup-problem" />
      {notice && (
        <p className="notice-ok" role="status" data-testid="users-notice">
          {notice}
        </p>
      )}
      {admins.length > 0 && (
        <div data-testid="setup-admins">
          <p>Administrators who can sign in with a card:</p>
          <ul>
            {admins.map((u) => (
              <li key={u.id}>{u.displayName}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="wizard-nav">
        <button type="button" className="button" onClick={() => goTo('trust')}>
          Back
        </button>
        <button
          type="button"
          className="button button--primary"
          disabled={admins.length === 0}
          onClick={() => goTo('finish')}
          data-testid="setup-next"
        >
          Next: finish
        </button>
        {admins.length === 0 && <span className="muted">Enroll an administrator’s card first.</span>}
      </div>
    </div>
  );
}
