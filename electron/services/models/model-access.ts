import type { ModelAccess } from '../../../common/ipc/contract';
import type { ShareRow } from '../../db/queries/models';
import type { SessionUser } from '../vault/vault-service';

/** A user's grantee key; the recovery-secret session (no user) gets one no grant can hold. */
export const userGrantee = (id: number | null) => (id === null ? '' : `user:${id}`);
export const roleGrantee = (role: string) => `role:${role}`;

/**
 * What a user may do with one model (docs/models.md, "Who may do what"): its owner everything; a
 * grant to the user or to their role (exactly that role) read or edit; an administrator without a
 * grant manages it (lists, trashes, restores) but does not read it. Null: the model is not theirs to see.
 */
export function accessOf(user: SessionUser, ownerId: number, shares: readonly ShareRow[]): ModelAccess | null {
  if (user.id !== null && ownerId === user.id) return 'owner';
  const mine = shares.filter((s) => s.grantee === userGrantee(user.id) || s.grantee === roleGrantee(user.role));
  if (mine.some((s) => s.access === 'edit')) return 'edit';
  if (mine.length > 0) return 'read';
  return user.role === 'admin' ? 'manage' : null;
}

export const canRead = (access: ModelAccess | null) => access === 'owner' || access === 'edit' || access === 'read';
export const canEdit = (access: ModelAccess | null) => access === 'owner' || access === 'edit';
/** Trash and restore: the owner, or an administrator. */
export const canManage = (access: ModelAccess | null, user: SessionUser) =>
  access === 'owner' || (access !== null && user.role === 'admin');
