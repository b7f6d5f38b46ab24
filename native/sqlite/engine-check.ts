import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { readProbe, sqliteCipherVersion } from '../../electron/db/queries/engine';

const requireNative = createRequire(import.meta.url);

export interface EngineReport {
  ok: boolean;
  detail: string;
}

type DatabaseCtor = typeof import('better-sqlite3-multiple-ciphers');

function openKeyed(Database: DatabaseCtor, path: string, keyHex: string) {
  const db = new Database(path);
  db.pragma(`cipher='sqlcipher'`);
  db.pragma(`key="x'${keyHex}'"`);
  return db;
}

/**
 * Loads better-sqlite3-multiple-ciphers and proves the store can work: a throw-away file keyed
 * with a raw 256-bit key under the SQLCipher scheme is written, has no plaintext SQLite header,
 * and reads back with the key.
 */
export function checkSqlCipherEngine(): EngineReport {
  let Database: DatabaseCtor;
  try {
    Database = requireNative('better-sqlite3-multiple-ciphers') as DatabaseCtor;
  } catch (error) {
    return { ok: false, detail: `better-sqlite3-multiple-ciphers did not load: ${(error as Error).message}` };
  }
  const dir = mkdtempSync(join(tmpdir(), 'enclave-engine-check-'));
  const path = join(dir, 'check.db');
  const key = randomBytes(32).toString('hex');
  try {
    const writer = openKeyed(Database, path, key);
    const version = sqliteCipherVersion(writer);
    writer.exec("create table probe (value text) strict; insert into probe values ('enclave');");
    writer.close();
    if (readFileSync(path).subarray(0, 15).toString('latin1') === 'SQLite format 3') {
      return { ok: false, detail: 'the test database was written unencrypted' };
    }
    const reader = openKeyed(Database, path, key);
    const value = readProbe(reader);
    reader.close();
    if (value !== 'enclave') return { ok: false, detail: 'the encrypted test database did not read back' };
    return { ok: true, detail: `${version}, SQLCipher scheme, 256-bit raw key` };
  } catch (error) {
    return { ok: false, detail: `the encrypted test database failed: ${(error as Error).message}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
