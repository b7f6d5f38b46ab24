import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

const Database = createRequire(import.meta.url)(
  'better-sqlite3-multiple-ciphers',
) as typeof import('better-sqlite3-multiple-ciphers');
export type TestDatabase = InstanceType<typeof Database>;

/**
 * Empty databases (user_version 0, as a new store file starts) in temporary folders, removed after
 * each test of the file that calls this. Unencrypted: migrations never depend on the cipher.
 */
export function useFreshDatabases(): () => TestDatabase {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'enclave-migrate-'));
    dirs.push(dir);
    const db = new Database(join(dir, 'm.db'));
    db.pragma('foreign_keys = ON');
    return db;
  };
}
