import type { Database } from 'better-sqlite3-multiple-ciphers';
import { StoreError } from './store-error';
import { LATEST_SCHEMA, MIGRATIONS } from './migrations';
import type { Migration } from './migrations/types';

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Refuses a database written by a newer Enclave before anything touches it. */
export function assertKnownSchema(db: Database, path: string, latest = LATEST_SCHEMA): void {
  const version = schemaVersion(db);
  if (version > latest) {
    throw new StoreError(
      'NEWER_SCHEMA',
      `${path} was written by a newer version of Enclave (schema ${version}; this version knows up to ${latest}). Upgrade Enclave to open it; nothing was changed.`,
    );
  }
}

/** Runs every pending migration in one transaction; user_version moves with it. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const current = schemaVersion(db);
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return [];
  db.transaction(() => {
    for (const migration of pending) {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }
  })();
  return pending.map((m) => m.version);
}
