import type { Role } from '../../../common/access/roles';
import { ServiceError } from '../service-error';
import type { LoginService } from '../identity/login-service';
import { requireAdmin } from '../identity/login-enroll';
import { listUsers } from '../identity/login-users';

type ListedUser = ReturnType<typeof listUsers>[number];

/** Administrators still able to act: enabled, whatever their card. */
function enabledAdmins(users: ListedUser[]): ListedUser[] {
  return users.filter((u) => u.role === 'admin' && !u.disabledAt);
}

function listed(service: LoginService, userId: number): ListedUser {
  const { store } = requireAdmin(service, 'user.read');
  const user = listUsers(store.db).find((u) => u.id === userId);
  if (!user) throw new ServiceError('INVALID_ARGUMENT', `There is no user ${userId}.`);
  return user;
}

/** Changes a role (audited as role.change, from → to). The last enabled administrator keeps the role. */
export function setRole(service: LoginService, userId: number, role: Role): ListedUser {
  const { store, user: admin } = requireAdmin(service, 'user.setRole');
  const target = listed(service, userId);
  if (target.role === role) return target;
  if (target.role === 'admin' && enabledAdmins(listUsers(store.db)).every((u) => u.id === userId)) {
    throw new ServiceError(
      'FAILED_PRECONDITION',
      `${target.displayName} is the only enabled administrator; make someone else an administrator first.`,
    );
  }
  store.db.transaction(() => {
    store.db.prepare('UPDATE users SET role = ? WHERE id = ?').run(role, userId);
    store.audit.append({
      actor: admin.actor,
      event: 'role.change',
      object: `user:${userId}`,
      outcome: 'success',
      detail: { from: target.role, to: role },
    });
  })();
  return listed(service, userId);
}

/** Disables or re-enables a user; a disabled user's card is refused at sign-in (USER_DISABLED). */
export function setDisabled(service: LoginService, userId: number, disabled: boolean): ListedUser {
  const { store, user: admin } = requireAdmin(service, disabled ? 'user.disable' : 'user.enable');
  const target = listed(service, userId);
  if (Boolean(target.disabledAt) === disabled) return target;
  if (disabled && admin.id === userId)
    throw new ServiceError('FAILED_PRECONDITION', 'You cannot disable yourself; another administrator can.');
  if (disabled && target.role === 'admin' && enabledAdmins(listUsers(store.db)).every((u) => u.id === userId)) {
    throw new ServiceError(
      'FAILED_PRECONDITION',
      `${target.displayName} is the only enabled administrator and cannot be disabled.`,
    );
  }
  store.db.transaction(() => {
    store.db
      .prepare('UPDATE users SET disabled_at = ? WHERE id = ?')
      .run(disabled ? new Date().toISOString() : null, userId);
    store.audit.append({
      actor: admin.actor,
      event: disabled ? 'user.disable' : 'user.enable',
      object: `user:${userId}`,
      outcome: 'success',
      detail: { role: target.role },
    });
  })();
  return listed(service, userId);
}
