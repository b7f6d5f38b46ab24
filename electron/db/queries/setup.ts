import type { Database } from 'better-sqlite3-multiple-ciphers';
import { sql } from './sql';

/** First-run setup's rows: this workstation's site and when setup finished. */
const insertSite = sql<[name: string, systemHigh: string, createdAt: string]>(
  'INSERT INTO sites (name, system_high, is_local, created_at) VALUES (?, ?, 1, ?)',
);
const completedAt = sql<[], { value: string }>("SELECT value FROM settings WHERE key = 'setup.completedAt'");
const recordCompleted = sql<[at: string]>(
  "INSERT INTO settings (key, value) VALUES ('setup.completedAt', ?) ON CONFLICT(key) DO NOTHING",
);

export function insertLocalSite(db: Database, name: string, systemHigh: string, createdAt: string): void {
  insertSite.run(db, name, systemHigh, createdAt);
}

export function setupCompletedAt(db: Database): string | null {
  return completedAt.get(db)?.value ?? null;
}

/** Records when setup finished; a later call keeps the first time. */
export function recordSetupCompleted(db: Database, at: string): void {
  recordCompleted.run(db, at);
}
