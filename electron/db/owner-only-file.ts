import { closeSync, openSync } from 'node:fs';

/**
 * Creates an empty file only its owner may read or write, for SQLite to fill: SQLite creates files
 * 0644 (less the umask) and gives a database's -wal and -shm files the database's own mode.
 */
export function createOwnerOnlyFile(path: string): void {
  closeSync(openSync(path, 'wx', 0o600));
}
