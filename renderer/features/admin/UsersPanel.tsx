import { ROLES, type Role } from '../../../common/access/roles';
import { useLoginState } from '../../state/login-state';
import { useUsersState, type User } from '../../state/users-state';
import { ConfirmButton } from '../../components/ConfirmButton';
import { EnrollCard, ROLE_NAMES } from './EnrollCard';
import { ServiceProblem } from '../../components/ServiceProblem';
import { day } from './uploads';

function UserRow({ user, self }: { user: User; self: boolean }) {
  const busy = useUsersState((s) => s.busy);
  const setRole = useUsersState((s) => s.setRole);
  const setDisabled = useUsersState((s) => s.setDisabled);
  const removeCard = useUsersState((s) => s.removeCard);
  const disabled = user.disabledAt !== null;
  const cards = user.cardSlots.length;
  const identity = [user.edipi && `EDIPI ${user.edipi}`, user.upn].filter(Boolean).join(' · ');
  return (
    <tr
      data-testid="user-row"
      data-user-id={user.id}
      data-role={user.role}
      data-disabled={disabled ? 'true' : 'false'}
      className={disabled ? 'is-disabled' : undefined}
    >
      <td className="admin-table__name">
        <span data-testid="user-name">{user.displayName}</span>
        {self && <span className="muted"> (you)</span>}
        {identity && <span className="admin-table__sub muted">{identity}</span>}
      </td>
      <td>
        <select
          className="field"
          aria-label={`Role of ${user.displayName}`}
          value={user.role}
          disabled={busy !== null}
          onChange={(e) => void setRole(user, e.target.value as Role)}
          data-testid="user-role"
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_NAMES[r]}
            </option>
          ))}
        </select>
      </td>
      <td data-testid="user-cards" title={user.cardSlots.join('\n')}>
        {cards === 0 ? <span className="muted">none</span> : `${cards} card${cards === 1 ? '' : 's'}`}
      </td>
      <td data-testid="user-status">
        {disabled ? <span className="is-bad">disabled {day(user.disabledAt!)}</span> : 'enabled'}
      </td>
      <td>{day(user.createdAt)}</td>
      <td className="admin-table__actions">
        <button
          type="button"
          className="button button--small"
          disabled={busy !== null || self}
          onClick={() => void setDisabled(user, !disabled)}
          data-testid={disabled ? 'enable-user' : 'disable-user'}
        >
          {disabled ? 'Enable' : 'Disable'}
        </button>
        {cards > 0 && (
          <ConfirmButton
            label={cards === 1 ? 'Remove card' : 'Remove cards'}
            question={`Remove ${user.displayName}’s card? It will no longer open this workstation.`}
            confirmLabel="Yes, remove"
            disabled={busy !== null}
            onConfirm={() => void removeCard(user)}
            testId="remove-card"
          />
        )}
      </td>
    </tr>
  );
}

/** Users, their roles and cards; enrolment of the card in the reader. */
export function UsersPanel() {
  const users = useUsersState((s) => s.users);
  const problem = useUsersState((s) => s.problem);
  const notice = useUsersState((s) => s.notice);
  const me = useLoginState((s) => s.status?.user?.id ?? null);
  return (
    <section className="panel panel--wide" aria-labelledby="users-title" data-testid="admin-users">
      <h2 id="users-title">Users</h2>
      <ServiceProblem error={problem} testId="users-problem" />
      {notice && (
        <p className="notice-ok" role="status" data-testid="users-notice">
          {notice}
        </p>
      )}
      {!users && <p className="muted">Reading the users…</p>}
      {users && users.length === 0 && <p className="muted">No user has a card enrolled yet.</p>}
      {users && users.length > 0 && (
        <div className="table-scroll">
          <table className="table admin-table" data-testid="users-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Cards</th>
                <th scope="col">Status</th>
                <th scope="col">Since</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <UserRow key={user.id} user={user} self={user.id === me} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>Enroll a card</h3>
      <p className="muted">
        The card’s certificates are read and checked against the trust anchors and CRLs; no PIN is asked. A card already
        enrolled gets the role chosen here.
      </p>
      <EnrollCard />
    </section>
  );
}
