import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { CardIdentity } from './identity-mapping';

/**
 * Users as the login sees them: rows of the store's `users` table, found by EDIPI, UPN or card UUID
 * (never by name), and which card key slots belong to whom. The slot → user binding lives in the
 * encrypted `settings` table (`card.slot.<slot id>`), because the key-slot file beside the database
 * is readable and its labels are not authenticated.
 */
export type { Role } from '../../../common/access/roles';
import type { Role } from '../../../common/access/roles';

export interface UserRow {
  id: number;
  edipi: string | null;
  upn: string | null;
  uuid: string | null;
  displayName: string;
  role: Role;
  createdAt: string;
  disabledAt: string | null;
}

const COLUMNS =
  'id, edipi, upn, uuid, display_name AS displayName, role, created_at AS createdAt, disabled_at AS disabledAt';
const SLOT_KEY = 'card.slot.';

/** The one user these identifiers name; 'ambiguous' when they name two different users. */
export function findUser(db: Database, identity: CardIdentity): UserRow | 'ambiguous' | null {
  const rows = db
    .prepare(
      `SELECT ${COLUMNS} FROM users WHERE (edipi IS NOT NULL AND edipi = ?) OR (upn IS NOT NULL AND upn = ?) OR (uuid IS NOT NULL AND uuid = ?)`,
    )
    .all(identity.edipi, identity.upn, identity.uuid) as UserRow[];
  if (rows.length > 1) return 'ambiguous';
  return rows[0] ?? null;
}

export function listUsers(db: Database): (UserRow & { cardSlots: string[] })[] {
  const users = db.prepare(`SELECT ${COLUMNS} FROM users ORDER BY id`).all() as UserRow[];
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
    db.prepare(
      'UPDATE users SET role = ?, edipi = coalesce(?, edipi), upn = coalesce(?, upn), uuid = coalesce(?, uuid), display_name = ? WHERE id = ?',
    ).run(role, identity.edipi, identity.upn, identity.uuid, identity.displayName, existing.id);
    return { user: userById(db, existing.id)!, created: false, previousRole: existing.role };
  }
  const info = db
    .prepare('INSERT INTO users (edipi, upn, uuid, display_name, role, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(identity.edipi, identity.upn, identity.uuid, identity.displayName, role, new Date().toISOString());
  return { user: userById(db, Number(info.lastInsertRowid))!, created: true, previousRole: null };
}

export function userById(db: Database, id: number): UserRow | null {
  return (db.prepare(`SELECT ${COLUMNS} FROM users WHERE id = ?`).get(id) as UserRow | undefined) ?? null;
}

export function bindSlot(db: Database, slotId: string, userId: number): void {
  db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(SLOT_KEY + slotId, String(userId));
}

export function unbindSlot(db: Database, slotId: string): void {
  db.prepare('DELETE FROM settings WHERE key = ?').run(SLOT_KEY + slotId);
}

export function slotOwner(db: Database, slotId: string): number | null {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(SLOT_KEY + slotId) as
    { value: string } | undefined;
  return row ? Number(row.value) : null;
}

function slotBindings(db: Database): { slotId: string; userId: number }[] {
  const rows = db.prepare("SELECT key, value FROM settings WHERE key LIKE 'card.slot.%'").all() as {
    key: string;
    value: string;
  }[];
  return rows.map((r) => ({ slotId: r.key.slice(SLOT_KEY.length), userId: Number(r.value) }));
}
