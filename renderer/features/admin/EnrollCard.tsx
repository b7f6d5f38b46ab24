import { useId, useState } from 'react';
import { ROLES, type Role } from '../../../common/access/roles';
import { CardStateLine } from '../../components/CardStateLine';
import { useLoginState } from '../../state/login-state';
import { useUsersState } from '../../state/users-state';

export const ROLE_NAMES: Record<Role, string> = { viewer: 'viewer', analyst: 'analyst', admin: 'administrator' };

/**
 * Enrols the card in the reader: the service reads its certificates (no PIN), checks them against
 * the trust anchors and CRLs, and wraps the store's key to the card. `role` fixes the role (setup
 * enrols the first administrator); otherwise the admin chooses one.
 */
export function EnrollCard({ role: fixedRole, onEnrolled }: { role?: Role; onEnrolled?: () => void }) {
  const roleId = useId();
  const card = useLoginState((s) => s.status?.card ?? null);
  const selected = useLoginState((s) => s.selectedSerial);
  const selectCard = useLoginState((s) => s.selectCard);
  const busy = useUsersState((s) => s.busy);
  const enroll = useUsersState((s) => s.enroll);
  const [chosenRole, setChosenRole] = useState<Role>('analyst');
  const role = fixedRole ?? chosenRole;

  if (!card || card.state !== 'card-present')
    return (
      <CardStateLine
        card={card}
        testId="enroll-card-state"
        insertText={fixedRole ? 'Insert your card.' : 'Insert the card to enroll.'}
      />
    );
  const current = card.cards.find((c) => c.serialNumber === selected) ?? card.cards[0];
  if (!current) return null;

  function submit() {
    if (!current) return;
    void enroll(current.serialNumber, role).then((ok) => {
      if (ok) onEnrolled?.();
    });
  }

  return (
    <div className="card-state enroll" data-testid="enroll-card-state" data-state="card-present">
      {card.cards.length === 1 ? (
        <p>
          Card in the reader: <strong data-testid="enroll-card-label">{current.label}</strong>
        </p>
      ) : (
        <label className="field-label">
          <span>Several cards are inserted: enroll</span>
          <select
            value={current.serialNumber}
            onChange={(e) => selectCard(e.target.value)}
            data-testid="enroll-card-select"
          >
            {card.cards.map((c) => (
              <option key={c.serialNumber} value={c.serialNumber}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
      )}
      <div className="enroll__action">
        {!fixedRole && (
          <span className="field-group">
            <label htmlFor={roleId}>Role</label>
            <select
              id={roleId}
              className="field"
              value={chosenRole}
              onChange={(e) => setChosenRole(e.target.value as Role)}
              data-testid="enroll-role"
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_NAMES[r]}
                </option>
              ))}
            </select>
          </span>
        )}
        <button
          type="button"
          className="button button--primary"
          disabled={busy !== null}
          onClick={submit}
          data-testid="enroll-card"
        >
          {busy === 'enroll' ? 'Enrolling…' : `Enroll this card as ${ROLE_NAMES[role]}`}
        </button>
      </div>
    </div>
  );
}
