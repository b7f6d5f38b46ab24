import type { Database } from 'better-sqlite3-multiple-ciphers';
import { createOwnerOnlyFile } from '../owner-only-file';
import { sql, type Query } from './sql';

/** The store file's own rows and checks (electron/services/vault/store-file.ts): its keys' settings, row counts, backups. */

/** Tables whose row counts a backup must reproduce exactly (and `db status` shows). */
export const STORE_TABLES = [
  'settings',
  'sites',
  'users',
  'models',
  'model_versions',
  'model_shares',
  'runs',
  'run_sample_pages',
  'reports',
  'report_versions',
  'report_shares',
  'trust_anchors',
  'crls',
  'bundle_ledger',
  'bundle_channels_out',
  'bundle_channels_in',
  'bundle_quarantine',
  'bundle_records',
  'bundle_origins',
  'tuf_metadata',
  'update_history',
  'update_history_targets',
  'update_models',
  'user_certificates',
  'audit_log',
  'audit_head',
] as const;
export type StoreTable = (typeof STORE_TABLES)[number];

const counts = Object.fromEntries(
  STORE_TABLES.map((table) => [table, sql<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`)]),
) as Record<StoreTable, Query<[], { n: number }>>;
const insertIdentity = sql<[databaseId: string, auditKeyHex: string]>(
  "INSERT INTO settings (key, value) VALUES ('database.id', ?), ('audit.key', ?)",
);
const auditKey = sql<[], { value: string }>("SELECT value FROM settings WHERE key = 'audit.key'");
const vacuumInto = sql<[path: string]>('VACUUM INTO ?');

export function rowCount(db: Database, table: StoreTable): number {
  return counts[table].get(db)?.n ?? 0;
}

/** Written once, when the store is created: its id and the audit key (hex). */
export function insertStoreIdentity(db: Database, databaseId: string, auditKeyHex: string): void {
  insertIdentity.run(db, databaseId, auditKeyHex);
}

/** The audit key (hex), or null in a database Enclave did not set up. */
export function storedAuditKey(db: Database): string | null {
  return auditKey.get(db)?.value ?? null;
}

/** A consistent copy of the whole database, encrypted with the same key, at `path`. */
export function copyInto(db: Database, path: string): void {
  createOwnerOnlyFile(path); // VACUUM INTO takes an empty file, and would create it 0644
  vacuumInto.run(db, path);
}
