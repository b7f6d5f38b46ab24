import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { Role } from '../../../common/access/roles';
import { sql } from './sql';

/** A row of the `users` table: one card holder, found by EDIPI, UPN or card UUID (never by name). */
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

/** The identifiers a card carries (electron/services/identity/identity-mapping.ts). */
export interface UserIdentifiers {
  edipi: string | null;
  upn: string | null;
  uuid: string | null;
  displayName: string;
}

const COLUMNS =
  'id, edipi, upn, uuid, display_name AS displayName, role, created_at AS createdAt, disabled_at AS disabledAt';

const byIdentifiers = sql<[edipi: string | null, upn: string | null, uuid: string | null], UserRow>(
  `SELECT ${COLUMNS} FROM users WHERE (edipi IS NOT NULL AND edipi = ?) OR (upn IS NOT NULL AND upn = ?) OR (uuid IS NOT NULL AND uuid = ?)`,
);
const everyUser = sql<[], UserRow>(`SELECT ${COLUMNS} FROM users ORDER BY id`);
const byId = sql<[id: number], UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = ?`);
const updateFromCard = sql<
  [role: Role, edipi: string | null, upn: string | null, uuid: string | null, displayName: string, id: number]
>(
  'UPDATE users SET role = ?, edipi = coalesce(?, edipi), upn = coalesce(?, upn), uuid = coalesce(?, uuid), display_name = ? WHERE id = ?',
);
const insert = sql<
  [edipi: string | null, upn: string | null, uuid: string | null, displayName: string, role: Role, createdAt: string]
>('INSERT INTO users (edipi, upn, uuid, display_name, role, created_at) VALUES (?, ?, ?, ?, ?, ?)');
const updateRole = sql<[role: Role, id: number]>('UPDATE users SET role = ? WHERE id = ?');
const updateDisabledAt = sql<[disabledAt: string | null, id: number]>('UPDATE users SET disabled_at = ? WHERE id = ?');

/** Every user any of these identifiers names (more than one means they name different users). */
export function usersByIdentifiers(db: Database, identity: UserIdentifiers): UserRow[] {
  return byIdentifiers.all(db, identity.edipi, identity.upn, identity.uuid);
}

export function allUsers(db: Database): UserRow[] {
  return everyUser.all(db);
}

export function userById(db: Database, id: number): UserRow | null {
  return byId.get(db, id) ?? null;
}

/** Sets the role, fills identifiers the row lacks, and takes the card's display name. */
export function updateUserFromCard(db: Database, id: number, identity: UserIdentifiers, role: Role): void {
  updateFromCard.run(db, role, identity.edipi, identity.upn, identity.uuid, identity.displayName, id);
}

/** Returns the new user's id. */
export function insertUser(db: Database, identity: UserIdentifiers, role: Role, createdAt: string): number {
  return Number(
    insert.run(db, identity.edipi, identity.upn, identity.uuid, identity.displayName, role, createdAt).lastInsertRowid,
  );
}

export function setUserRole(db: Database, id: number, role: Role): void {
  updateRole.run(db, role, id);
}

export function setUserDisabledAt(db: Database, id: number, disabledAt: string | null): void {
  updateDisabledAt.run(db, disabledAt, id);
}
