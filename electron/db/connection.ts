import { createRequire } from 'node:module';
import { chmodSync, existsSync, statSync, unlinkSync } from 'node:fs';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { StoreError } from './store-error';
import { createOwnerOnlyFile } from './owner-only-file';
import { assertKnownSchema } from './migrate';
import { hasAuditLog, readSchemaPage } from './queries/connection';

const requireNative = createRequire(import.meta.url);
type DatabaseCtor = typeof import('better-sqlite3-multiple-ciphers');
const Sqlite = () => requireNative('better-sqlite3-multiple-ciphers') as DatabaseCtor;

export const PAGE_SIZE = 4096;

function keySql(pageKey: Buffer): string {
  if (pageKey.length !== 32) throw new RangeError('the page key is 256 bits');
  return `key="x'${pageKey.toString('hex')}'"`;
}

/** Applies the cipher and key; nothing is read or written yet. */
function keyed(path: string, pageKey: Buffer, options: { create: boolean; readonly?: boolean }): Database {
  const Database = Sqlite();
  const db = new Database(path, { fileMustExist: !options.create, readonly: options.readonly ?? false });
  db.pragma(`cipher='sqlcipher'`);
  db.pragma('legacy=4');
  db.pragma(keySql(pageKey));
  // Sorts, indexes being built and temp tables stay in memory: the build's default (TEMP_STORE=1)
  // spills them to unencrypted files in the temp directory, plaintext the page key never covers.
  db.pragma('temp_store = MEMORY');
  return db;
}

/** Production settings: WAL, full fsync, foreign keys, zeroing of deleted content. */
export function applyPragmas(db: Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('secure_delete = ON');
  db.pragma('busy_timeout = 5000');
}

/** A store made before files were created owner-only: closed to others when it is next opened for writing. */
function closeToOthers(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      if (existsSync(file) && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    } catch {
      // Not ours to change: the store opens as it is.
    }
  }
}

export function createDatabase(path: string, pageKey: Buffer): Database {
  if (existsSync(path)) throw new StoreError('ALREADY_EXISTS', `${path} already exists; refusing to overwrite it.`);
  createOwnerOnlyFile(path);
  const db = keyed(path, pageKey, { create: true });
  applyPragmas(db);
  return db;
}

/**
 * Opens an existing encrypted database and proves it whole before anything is written:
 * size (truncation), page 1 (key or header damage), every page (quick_check, which also
 * checks each page's SQLCipher HMAC), and schema version. Each failure is a distinct StoreError
 * and leaves the files as they were.
 */
export function openDatabase(path: string, pageKey: Buffer, options: { readonly?: boolean } = {}): Database {
  if (!existsSync(path)) throw new StoreError('NO_DATABASE', `There is no Enclave database at ${path}.`);
  const size = statSync(path).size;
  if (size === 0 || size % PAGE_SIZE !== 0) {
    throw new StoreError(
      'TRUNCATED',
      `${path} is truncated (${size} bytes is not a whole number of ${PAGE_SIZE}-byte pages). Restore it from a backup.`,
    );
  }
  const sidecars = [`${path}-wal`, `${path}-shm`].filter((p) => !existsSync(p));
  let db: Database | null = null;
  try {
    db = keyed(path, pageKey, { create: false, readonly: options.readonly ?? false });
    try {
      readSchemaPage(db);
    } catch (error) {
      throw new StoreError(
        'CORRUPT',
        `${path} cannot be read with its key: its first page is damaged or it is not the database this key file belongs to (${(error as Error).message}).`,
      );
    }
    let problems: string[];
    try {
      problems = (db.pragma('quick_check') as { quick_check: string }[])
        .map((row) => row.quick_check)
        .filter((line) => line !== 'ok');
    } catch (error) {
      problems = [(error as Error).message];
    }
    if (problems.length > 0) {
      const summary = problems
        .filter((line) => !line.startsWith('***'))
        .slice(0, 3)
        .join('; ')
        .replace(/\s+/g, ' ');
      throw new StoreError(
        'CORRUPT',
        `${path} is damaged (${summary || 'integrity check failed'}). Restore it from a backup; nothing was changed.`,
      );
    }
    if (db.pragma('user_version', { simple: true }) !== 0 && !hasAuditLog(db))
      throw new StoreError('NOT_ENCLAVE', `${path} is not an Enclave database.`);
    assertKnownSchema(db, path);
    if (!options.readonly) {
      closeToOthers(path);
      applyPragmas(db);
    }
    return db;
  } catch (error) {
    db?.close();
    // Leave no -wal/-shm behind that this failed open created.
    for (const sidecar of sidecars) if (existsSync(sidecar)) unlinkSync(sidecar);
    throw error;
  }
}
