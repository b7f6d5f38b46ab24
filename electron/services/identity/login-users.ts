import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { recordUserCertificate, type UserCertificateKind } from '../../db/queries/user-certificates';
import { cardSlotSettings, deleteSetting, getSetting, putSetting } from '../../db/queries/settings';
import {
  allUsers,
  insertUser,
  updateUserFromCard,
  userById,
  usersByIdentifiers,
  type UserRow,
} from '../../db/queries/users';
import type { CardIdentity } from './identity-mapping';

/**
 * Users as the login sees them: rows of the store's `users` table, found by EDIPI, UPN or card UUID
 * (never by name), and which card key slots belong to whom. The slot → user binding lives in the
 * encrypted `settings` table (`card.slot.<slot id>`), because the key-slot file beside the database
 * is readable and its labels are not authenticated.
 */
export type { Role } from '../../../common/access/roles';
import type { Role } from '../../../common/access/roles';
export { userById, type UserRow } from '../../db/queries/users';

const SLOT_KEY = 'card.slot.';

/** The one user these identifiers name; 'ambiguous' when they name two different users. */
export function findUser(db: Database, identity: CardIdentity): UserRow | 'ambiguous' | null {
  const rows = usersByIdentifiers(db, identity);
  if (rows.length > 1) return 'ambiguous';
  return rows[0] ?? null;
}

export function listUsers(db: Database): (UserRow & { cardSlots: string[] })[] {
  const users = allUsers(db);
  const bindings = slotBindings(db);
  return users.map((user) => ({
    ...user,
    cardSlots: bindings.filter((b) => b.userId === user.id).map((b) => b.slotId),
  }));
}

/** Creates the user, or updates the role and identifiers of the one these identifiers already name. */
export function upsertUser(
  db: Database,
  identity: CardIdentity,
  role: Role,
): { user: UserRow; created: boolean; previousRole: Role | null } {
  const existing = findUser(db, identity);
  if (existing === 'ambiguous') throw new Error('ambiguous');
  if (existing) {
    updateUserFromCard(db, existing.id, identity, role);
    return { user: userById(db, existing.id)!, created: false, previousRole: existing.role };
  }
  const id = insertUser(db, identity, role, new Date().toISOString());
  return { user: userById(db, id)!, created: true, previousRole: null };
}

/** Keeps the card's certificates on record for its user (a trust update checks it would not lock out every administrator). */
export function recordCardCertificates(
  db: Database,
  userId: number,
  certificates: { kind: UserCertificateKind; der: Buffer }[],
  at: Date,
): void {
  for (const { kind, der } of certificates)
    recordUserCertificate(db, createHash('sha256').update(der).digest('hex'), userId, kind, der, at.toISOString());
}

export function bindSlot(db: Database, slotId: string, userId: number): void {
  putSetting(db, SLOT_KEY + slotId, String(userId));
}

export function unbindSlot(db: Database, slotId: string): void {
  deleteSetting(db, SLOT_KEY + slotId);
}

export function slotOwner(db: Database, slotId: string): number | null {
  const value = getSetting(db, SLOT_KEY + slotId);
  return value !== null ? Number(value) : null;
}

function slotBindings(db: Database): { slotId: string; userId: number }[] {
  return cardSlotSettings(db).map((r) => ({ slotId: r.key.slice(SLOT_KEY.length), userId: Number(r.value) }));
}
