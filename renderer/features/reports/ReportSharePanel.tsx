import { useId, useState, type FormEvent } from 'react';
import {
  useReportsState,
  type ReportGrant,
  type ReportsPanel,
  type ReportShareTargets,
} from '../../state/reports-state';
import { useFocusOnOpen } from '../library/use-focus-on-open';

type Panel = Extract<ReportsPanel, { kind: 'share' }>;

const key = (grant: ReportGrant) =>
  'user' in grant.grantee ? `user:${grant.grantee.user}` : `role:${grant.grantee.role}`;

function granteeWords(grant: ReportGrant, targets: ReportShareTargets): string {
  if ('role' in grant.grantee) return `everyone with the role ${grant.grantee.role}`;
  const id = grant.grantee.user;
  const user = targets.users.find((u) => u.id === id);
  return user ? `${user.name} (${user.role})` : `user ${id} (disabled or removed)`;
}

/** The owner's sharing of a report, as a model's is shared: users or roles, to read or to edit. */
export function ReportSharePanel({ panel }: { panel: Panel }) {
  const whoId = useId();
  const accessId = useId();
  const share = useReportsState((s) => s.share);
  const closePanel = useReportsState((s) => s.closePanel);
  const busy = useReportsState((s) => s.busy) !== null;
  const [who, setWho] = useState('');
  const [access, setAccess] = useState<'read' | 'edit'>('read');
  const heading = useFocusOnOpen(panel.report.id);
  const { grants, targets } = panel;

  async function add(event: FormEvent) {
    event.preventDefault();
    if (!grants || !who) return;
    const [kind, value] = who.split(':') as ['user' | 'role', string];
    const grantee = kind === 'user' ? { user: Number(value) } : { role: value as 'viewer' | 'analyst' | 'admin' };
    const grant: ReportGrant = { grantee, access };
    if (await share([...grants.filter((g) => key(g) !== key(grant)), grant])) setWho('');
  }

  return (
    <section className="panel report-panel" aria-labelledby="report-share-title" data-testid="report-share">
      <div className="panel__heading">
        <h2 id="report-share-title" tabIndex={-1} ref={heading}>
          Sharing “{panel.report.title}”
        </h2>
        <button type="button" className="button button--small" onClick={closePanel} data-testid="report-panel-close">
          Close
        </button>
      </div>
      {(!grants || !targets) && <p>Reading who it is shared with…</p>}
      {grants && targets && (
        <>
          {grants.length === 0 && <p data-testid="report-share-none">Shared with no one: only you can see it.</p>}
          {grants.length > 0 && (
            <ul className="library-grants" data-testid="report-share-grants">
              {grants.map((grant) => (
                <li key={key(grant)} data-testid="report-share-grant" data-grantee={key(grant)}>
                  <span>
                    {granteeWords(grant, targets)} — may {grant.access === 'edit' ? 'read and edit' : 'read'}
                  </span>
                  <button
                    type="button"
                    className="button button--small"
                    disabled={busy}
                    onClick={() => void share(grants.filter((g) => key(g) !== key(grant)))}
                    aria-label={`Stop sharing with ${granteeWords(grant, targets)}`}
                  >
                    Remove
                  </button>
                </li>
              ))}
            </ul>
          )}
          <form className="library-share-form" onSubmit={(event) => void add(event)}>
            <label htmlFor={whoId}>Share with</label>
            <select
              id={whoId}
              value={who}
              onChange={(e) => setWho(e.currentTarget.value)}
              data-testid="report-share-who"
            >
              <option value="">Choose a user or a role…</option>
              <optgroup label="Users">
                {targets.users.map((user) => (
                  <option key={user.id} value={`user:${user.id}`}>
                    {user.name} ({user.role})
                  </option>
                ))}
              </optgroup>
              <optgroup label="Everyone with a role">
                {targets.roles.map((role) => (
                  <option key={role} value={`role:${role}`}>
                    {role}
                  </option>
                ))}
              </optgroup>
            </select>
            <label htmlFor={accessId}>to</label>
            <select
              id={accessId}
              value={access}
              onChange={(e) => setAccess(e.currentTarget.value === 'edit' ? 'edit' : 'read')}
              data-testid="report-share-access"
            >
              <option value="read">read</option>
              <option value="edit">read and edit</option>
            </select>
            <button
              type="submit"
              className="button button--small"
              disabled={busy || !who}
              data-testid="report-share-add"
            >
              Share
            </button>
          </form>
          <p className="muted">
            A viewer only ever reads, whatever the grant. A grant to a role reaches exactly that role.
          </p>
        </>
      )}
    </section>
  );
}
