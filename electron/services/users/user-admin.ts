import type { Role } from '../../../common/access/roles';
import { setUserDisabledAt, setUserRole } from '../../db/queries/users';
import { ServiceError } from '../service-error';
import { listUsers } from '../identity/login-users';
import { keepAnEnabledAdmin } from './admin-rule';
import type { Workspace } from '../vault/vault-service';

// identity.setRole and identity.setDisabled: the router has checked users.manage; what is left here
// are the rules of user management itself (docs/roles.md, "Safeguards in user management").

type ListedUser = ReturnType<typeof listUsers>[number];

function listed(workspace: Workspace, userId: number): ListedUser {
  const user = listUsers(workspace.db).find((u) => u.id === userId);
  if (!user) throw new ServiceError('INVALID_ARGUMENT', `There is no user ${userId}.`);
  return user;
}

/** Changes a role (audited as role.change, from → to). The last enabled administrator keeps the role. */
export function setRole(workspace: Workspace, userId: number, role: Role): ListedUser {
  const { db, audit, user: admin } = workspace;
  const target = listed(workspace, userId);
  if (target.role === role) return target;
  db.transaction(() => {
    keepAnEnabledAdmin(db, userId, { role });
    setUserRole(db, userId, role);
    audit.append({
      actor: admin.actor,
      event: 'role.change',
      object: `user:${userId}`,
      outcome: 'success',
      detail: { from: target.role, to: role },
    });
  })();
  return listed(workspace, userId);
}

/** Disables or re-enables a user; a disabled user's card is refused at sign-in (USER_DISABLED). */
export function setDisabled(workspace: Workspace, userId: number, disabled: boolean): ListedUser {
  const { db, audit, user: admin } = workspace;
  const target = listed(workspace, userId);
  if (Boolean(target.disabledAt) === disabled) return target;
  if (disabled && admin.id === userId)
    throw new ServiceError('FAILED_PRECONDITION', 'You cannot disable yourself; another administrator can.');
  db.transaction(() => {
    keepAnEnabledAdmin(db, userId, { disabled });
    setUserDisabledAt(db, userId, disabled ? new Date().toISOString() : null);
    audit.append({
      actor: admin.actor,
      event: disabled ? 'user.disable' : 'user.enable',
      object: `user:${userId}`,
      outcome: 'success',
      detail: { role: target.role },
    });
  })();
  return listed(workspace, userId);
}
