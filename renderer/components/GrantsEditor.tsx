import { useId, useState, type FormEvent } from 'react';
import type { ResponseOf } from '../../common/ipc/contract';

export type Grant = ResponseOf<'models', 'share'>['grants'][number];
export type GrantTargets = ResponseOf<'models', 'shareTargets'>;

const key = (grant: Grant) => ('user' in grant.grantee ? `user:${grant.grantee.user}` : `role:${grant.grantee.role}`);

function granteeWords(grant: Grant, targets: GrantTargets): string {
  if ('role' in grant.grantee) return `everyone with the role ${grant.grantee.role}`;
  const id = grant.grantee.user;
  const user = targets.users.find((u) => u.id === id);
  return user ? `${user.name} (${user.role})` : `user ${id} (disabled or removed)`;
}

interface GrantsEditorProps {
  grants: readonly Grant[];
  targets: GrantTargets;
  busy: boolean;
  /** Saves the whole new list of grants at once; true when the service took it. */
  share(grants: Grant[]): Promise<boolean>;
  /** The test ids' prefix: "share" in the model library, "report-share" in the reports. */
  testIds: string;
}

/** An owner's grants of a model or a report: users or roles, to read or to edit, each change saved at once. */
export function GrantsEditor({ grants, targets, busy, share, testIds }: GrantsEditorProps) {
  const whoId = useId();
  const accessId = useId();
  const [who, setWho] = useState('');
  const [access, setAccess] = useState<'read' | 'edit'>('read');

  async function add(event: FormEvent) {
    event.preventDefault();
    if (!who) return;
    const [kind, value] = who.split(':') as ['user' | 'role', string];
    const grantee = kind === 'user' ? { user: Number(value) } : { role: value as 'viewer' | 'analyst' | 'admin' };
    const grant: Grant = { grantee, access };
    // One grant per grantee: sharing again with the same one changes its access.
    if (await share([...grants.filter((g) => key(g) !== key(grant)), grant])) setWho('');
  }

  return (
    <>
      {grants.length === 0 && <p data-testid={`${testIds}-none`}>Shared with no one: only you can see it.</p>}
      {grants.length > 0 && (
        <ul className="library-grants" data-testid={`${testIds}-grants`}>
          {grants.map((grant) => (
            <li key={key(grant)} data-testid={`${testIds}-grant`} data-grantee={key(grant)}>
              <span>
                {granteeWords(grant, targets)} — may {grant.access === 'edit' ? 'read and edit' : 'read'}
              </span>
              <button
                type="button"
                className="button button--small"
                disabled={busy}
                onClick={() => void share(grants.filter((g) => key(g) !== key(grant)))}
                aria-label={`Stop sharing with ${granteeWords(grant, targets)}`}
                data-testid={`${testIds}-remove`}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="library-share-form" onSubmit={(event) => void add(event)}>
        <label htmlFor={whoId}>Share with</label>
        <select id={whoId} value={who} onChange={(e) => setWho(e.currentTarget.value)} data-testid={`${testIds}-who`}>
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
          data-testid={`${testIds}-access`}
        >
          <option value="read">read</option>
          <option value="edit">read and edit</option>
        </select>
        <button type="submit" className="button button--small" disabled={busy || !who} data-testid={`${testIds}-add`}>
          Share
        </button>
      </form>
      <p className="muted">
        A viewer only ever reads, whatever the grant. A grant to a role reaches exactly that role. An administrator
        reads only what is shared with them.
      </p>
    </>
  );
}
