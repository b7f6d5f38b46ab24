import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase, openDatabase } from '../../../electron/db/connection';
import { StoreFile } from '../../../electron/services/vault/store-file';
import { createTempStore } from '../../support/store';

// SQLite reads SQLITE_TMPDIR once, when the native library starts: set it before this file opens any
// database (each test file runs in a process of its own), so every temporary file lands where we look.
const tempDir = mkdtempSync(join(tmpdir(), 'enclave-sqlite-tmp-'));
process.env.SQLITE_TMPDIR = tempDir;
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

const planted = 'PLANTED-TEMPFILE-5e1d2b';
const ROWS = 60_000;

/** Files in the temp directory, and files open in this process under it (SQLite deletes its temp files at once). */
function plantedInTemp(): string[] {
  const hits: string[] = [];
  for (const name of readdirSync(tempDir))
    if (readFileSync(join(tempDir, name)).includes(planted)) hits.push(join(tempDir, name));
  for (const fd of readdirSync('/proc/self/fd')) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue; // closed since the listing
    }
    if (!target.startsWith(tempDir)) continue;
    if (readFileSync(`/proc/self/fd/${fd}`).includes(planted)) hits.push(target);
  }
  return hits;
}

/** A sort no index can serve, over ~25 MB of rows: far more than the page cache, so SQLite spills it. */
function sortWhileScanning(db: Database): string[] {
  db.exec('CREATE TABLE IF NOT EXISTS scratch (body TEXT)');
  if ((db.prepare('SELECT count(*) AS n FROM scratch').get() as { n: number }).n === 0) {
    const insert = db.prepare('INSERT INTO scratch (body) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < ROWS; i += 1) insert.run(`${planted}-${i}-${'x'.repeat(400)}`);
    })();
  }
  const rows = db.prepare('SELECT body FROM scratch ORDER BY substr(body, 30) DESC').iterate();
  rows.next(); // the sort is done; its result is read from wherever it spilled
  try {
    return plantedInTemp();
  } finally {
    rows.return?.();
  }
}

describe('temporary data', () => {
  it('a large sort leaves no plaintext in the temp directory or in deleted-but-open files; every connection keeps temp data in memory', () => {
    const t = createTempStore();
    try {
      const createdTempStore = t.store.db.pragma('temp_store', { simple: true });
      t.store.close();
      const store = StoreFile.open(t.path, { recoverySecret: t.secret });
      try {
        expect(sortWhileScanning(store.db)).toEqual([]);
        expect(store.db.pragma('temp_store', { simple: true })).toBe(2); // 2 = MEMORY
        expect(createdTempStore).toBe(2);

        // The scan sees what a spilling connection writes: the same sort with temp files on disk.
        store.db.pragma('temp_store = FILE');
        expect(sortWhileScanning(store.db).length).toBeGreaterThan(0);
      } finally {
        store.close();
      }

      // Read-only connections (backup verification, restore checks) sort in memory too.
      const pageKey = randomBytes(32);
      const path = join(t.dir, 'plain.db');
      createDatabase(path, pageKey).close();
      const readonly = openDatabase(path, pageKey, { readonly: true });
      try {
        expect(readonly.pragma('temp_store', { simple: true })).toBe(2);
      } finally {
        readonly.close();
      }
    } finally {
      t.cleanup();
    }
  });
});
