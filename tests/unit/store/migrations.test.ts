import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assertKnownSchema, migrate, schemaVersion } from '../../../electron/db/migrate';
import { LATEST_SCHEMA, MIGRATIONS } from '../../../electron/db/migrations';

const Database = createRequire(import.meta.url)('better-sqlite3-multiple-ciphers') as typeof import('better-sqlite3-multiple-ciphers');
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function fresh() {
  const dir = mkdtempSync(join(tmpdir(), 'enclave-migrate-'));
  dirs.push(dir);
  const db = new Database(join(dir, 'm.db'));
  db.pragma('foreign_keys = ON');
  return db;
}

describe('migrations', () => {
  it('are numbered 1, 2, 3… with no gaps, and the latest is what the store expects', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_SCHEMA).toBe(MIGRATIONS.length);
  });

  it('run all pending steps in one transaction and record user_version; a second run does nothing', () => {
    const db = fresh();
    expect(migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA);
    expect(migrate(db)).toEqual([]);
  });

  it('a failing step leaves the database exactly as it was (user_version included)', () => {
    const db = fresh();
    const broken = [...MIGRATIONS, { version: LATEST_SCHEMA + 1, name: 'broken', up: (d: typeof db) => d.exec('CREATE TABLE half (x INTEGER) STRICT; SELECT no_such_function();') }];
    expect(() => migrate(db, broken)).toThrow(/no such function/);
    expect(schemaVersion(db)).toBe(0);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get()).toEqual({ n: 0 });
  });

  it('refuse a database from a newer version with a clear message', () => {
    const db = fresh();
    db.pragma(`user_version = ${LATEST_SCHEMA + 3}`);
    expect(() => assertKnownSchema(db, 'x.db')).toThrow(`x.db was written by a newer version of Enclave (schema ${LATEST_SCHEMA + 3}; this version knows up to ${LATEST_SCHEMA})`);
  });

  describe('0001-initial', () => {
    it('creates STRICT tables whose object rows carry an owner and a marking', () => {
      const db = fresh();
      migrate(db, MIGRATIONS.slice(0, 1));
      const tables = (db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string; sql: string }[]);
      expect(tables.map((t) => t.name)).toEqual(['audit_head', 'audit_log', 'bundle_ledger', 'crls', 'model_versions', 'models', 'reports', 'runs', 'settings', 'sites', 'trust_anchors', 'users']);
      for (const table of tables) expect(table.sql, table.name).toMatch(/\) STRICT$/);
      for (const table of ['models', 'model_versions', 'runs', 'reports', 'trust_anchors', 'crls', 'bundle_ledger']) {
        const columns = (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string; notnull: number }[]).filter((c) => c.notnull);
        expect(columns.map((c) => c.name), table).toEqual(expect.arrayContaining(['owner_id', 'marking']));
      }
    });

    it('enforces types, roles, foreign keys and one version number per model', () => {
      const db = fresh();
      migrate(db, MIGRATIONS.slice(0, 1));
      expect(() => db.prepare("INSERT INTO users (display_name, role, created_at) VALUES ('x', 'superuser', 'now')").run()).toThrow(/CHECK constraint/);
      expect(() => db.prepare("INSERT INTO users (display_name, role, created_at) VALUES (X'00', 'admin', 'now')").run()).toThrow(/cannot store BLOB value in TEXT column/);
      expect(() => db.prepare("INSERT INTO models (owner_id, name, marking, created_at) VALUES (99, 'm', 'U', 'now')").run()).toThrow(/FOREIGN KEY/);
      db.prepare("INSERT INTO users (id, display_name, role, created_at) VALUES (1, 'a', 'analyst', 'now')").run();
      db.prepare("INSERT INTO models (id, owner_id, name, marking, created_at) VALUES (1, 1, 'm', 'UNCLASSIFIED', 'now')").run();
      const version = db.prepare("INSERT INTO model_versions (model_id, version, owner_id, marking, body, created_at) VALUES (1, ?, 1, 'UNCLASSIFIED', '{}', 'now')");
      version.run(1);
      version.run(2);
      expect(() => version.run(2)).toThrow(/UNIQUE/);
    });
  });
});
