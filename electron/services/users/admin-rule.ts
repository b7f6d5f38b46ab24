import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { Role } from '../../../common/access/roles';
import { allUsers, type UserRow } from '../../db/queries/users';
import { ServiceError } from '../service-error';

/**
 * The one rule every change of a role or of a user's disabled state passes (identity.setRole,
 * identity.setDisabled, and an enrolment that finds the card's user already there): the store
 * keeps at least one enabled administrator. Without one, only the recovery secret gets admin back.
 */
export type UserChange = { role: Role } | { disabled: boolean };

const enabledAdmin = (u: Pick<UserRow, 'role' | 'disabledAt'>) => u.role === 'admin' && !u.disabledAt;

/** Throws FAILED_PRECONDITION (changing nothing) when `change` to `userId` would leave no enabled administrator. */
export function keepAnEnabledAdmin(db: Database, userId: number, change: UserChange): void {
  const users = allUsers(db);
  const target = users.find((u) => u.id === userId);
  if (!target || !enabledAdmin(target)) return;
  const after =
    'role' in change ? { ...target, role: change.role } : { ...target, disabledAt: change.disabled ? 'now' : null };
  if (enabledAdmin(after) || users.some((u) => u.id !== userId && enabledAdmin(u))) return;
  throw new ServiceError(
    'FAILED_PRECONDITION',
    'role' in change
      ? `${target.displayName} is the only enabled administrator and would lose the role (to ${change.role}); make someone else an administrator first.`
      : `${target.displayName} is the only enabled administrator and cannot be disabled.`,
  );
}
