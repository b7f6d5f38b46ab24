import type { Database } from 'better-sqlite3-multiple-ciphers';
import { sql } from './sql';

/** What opening a database checks before anything is written (electron/db/connection.ts). */
const schemaObjects = sql<[], { n: number }>('SELECT count(*) AS n FROM sqlite_master');
const auditLogTables = sql<[], { n: number }>(
  "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'",
);

/** Reads page 1: throws when the key is wrong or the first page is damaged. */
export function readSchemaPage(db: Database): void {
  schemaObjects.get(db);
}

/** True when the database has Enclave's audit_log table. */
export function hasAuditLog(db: Database): boolean {
  return (auditLogTables.get(db)?.n ?? 0) > 0;
}
