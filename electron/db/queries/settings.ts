import type { Database } from 'better-sqlite3-multiple-ciphers';
import { sql } from './sql';

/** The `settings` table: one text value per key (audit key, database id, setup state, card slot bindings). */
const valueOf = sql<[key: string], { value: string }>('SELECT value FROM settings WHERE key = ?');
const put = sql<[key: string, value: string]>(
  'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
);
const remove = sql<[key: string]>('DELETE FROM settings WHERE key = ?');
const cardSlotRows = sql<[], { key: string; value: string }>(
  "SELECT key, value FROM settings WHERE key LIKE 'card.slot.%'",
);

export function getSetting(db: Database, key: string): string | null {
  return valueOf.get(db, key)?.value ?? null;
}

/** Sets the value, replacing any. */
export function putSetting(db: Database, key: string, value: string): void {
  put.run(db, key, value);
}

export function deleteSetting(db: Database, key: string): void {
  remove.run(db, key);
}

/** Every `card.slot.<slot id>` binding (electron/services/identity/login-users.ts). */
export function cardSlotSettings(db: Database): { key: string; value: string }[] {
  return cardSlotRows.all(db);
}
