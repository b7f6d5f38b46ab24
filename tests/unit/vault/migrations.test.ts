import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assertKnownSchema, migrate, schemaVersion } from '../../../electron/db/migrate';
import { LATEST_SCHEMA, MIGRATIONS } from '../../../electron/db/migrations';
import { distinguishedName, generateKeyPair, issueCertificate, issueCrl, OID } from '../../support/fixtures/piv/pki';

/** A self-signed CA that can sign a CRL. */
async function testCa() {
  const key = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  const name = distinguishedName([[OID.commonName, 'Migration Test CA']]);
  return issueCertificate({
    subject: name,
    key,
    issuer: null,
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 86_400_000),
    ca: {},
    keyUsage: ['keyCertSign', 'cRLSign'],
  });
}

const Database = createRequire(import.meta.url)(
  'better-sqlite3-multiple-ciphers',
) as typeof import('better-sqlite3-multiple-ciphers');
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
    const broken = [
      ...MIGRATIONS,
      {
        version: LATEST_SCHEMA + 1,
        name: 'broken',
        up: (d: typeof db) => d.exec('CREATE TABLE half (x INTEGER) STRICT; SELECT no_such_function();'),
      },
    ];
    expect(() => migrate(db, broken)).toThrow(/no such function/);
    expect(schemaVersion(db)).toBe(0);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get()).toEqual({ n: 0 });
  });

  it('refuse a database from a newer version with a clear message', () => {
    const db = fresh();
    db.pragma(`user_version = ${LATEST_SCHEMA + 3}`);
    expect(() => assertKnownSchema(db, 'x.db')).toThrow(
      `x.db was written by a newer version of Enclave (schema ${LATEST_SCHEMA + 3}; this version knows up to ${LATEST_SCHEMA})`,
    );
  });

  describe('0001-initial', () => {
    it('creates STRICT tables whose object rows carry an owner and a marking', () => {
      const db = fresh();
      migrate(db, MIGRATIONS.slice(0, 1));
      const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
        name: string;
        sql: string;
      }[];
      expect(tables.map((t) => t.name)).toEqual([
        'audit_head',
        'audit_log',
        'bundle_ledger',
        'crls',
        'model_versions',
        'models',
        'reports',
        'runs',
        'settings',
        'sites',
        'trust_anchors',
        'users',
      ]);
      for (const table of tables) expect(table.sql, table.name).toMatch(/\) STRICT$/);
      for (const table of ['models', 'model_versions', 'runs', 'reports', 'trust_anchors', 'crls', 'bundle_ledger']) {
        const columns = (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string; notnull: number }[]).filter(
          (c) => c.notnull,
        );
        expect(
          columns.map((c) => c.name),
          table,
        ).toEqual(expect.arrayContaining(['owner_id', 'marking']));
      }
    });

    it('enforces types, roles, foreign keys and one version number per model', () => {
      const db = fresh();
      migrate(db, MIGRATIONS.slice(0, 1));
      expect(() =>
        db.prepare("INSERT INTO users (display_name, role, created_at) VALUES ('x', 'superuser', 'now')").run(),
      ).toThrow(/CHECK constraint/);
      expect(() =>
        db.prepare("INSERT INTO users (display_name, role, created_at) VALUES (X'00', 'admin', 'now')").run(),
      ).toThrow(/cannot store BLOB value in TEXT column/);
      expect(() =>
        db.prepare("INSERT INTO models (owner_id, name, marking, created_at) VALUES (99, 'm', 'U', 'now')").run(),
      ).toThrow(/FOREIGN KEY/);
      db.prepare("INSERT INTO users (id, display_name, role, created_at) VALUES (1, 'a', 'analyst', 'now')").run();
      db.prepare(
        "INSERT INTO models (id, owner_id, name, marking, created_at) VALUES (1, 1, 'm', 'UNCLASSIFIED', 'now')",
      ).run();
      const version = db.prepare(
        "INSERT INTO model_versions (model_id, version, owner_id, marking, body, created_at) VALUES (1, ?, 1, 'UNCLASSIFIED', '{}', 'now')",
      );
      version.run(1);
      version.run(2);
      expect(() => version.run(2)).toThrow(/UNIQUE/);
    });
  });

  describe('0002-trust-imported-by', () => {
    it('keeps schema 1 trust rows, lets setup import without an owner, and fills each CRL’s kept columns from its DER', async () => {
      const db = fresh();
      migrate(db, MIGRATIONS.slice(0, 1));
      const now = new Date().toISOString();
      const crl = await issueCrl({
        issuer: await testCa(),
        thisUpdate: new Date(Date.now() - 3_600_000),
        nextUpdate: new Date(Date.now() + 86_400_000),
        number: 7,
        revoked: [{ serialNumber: Buffer.from([1, 2, 3]), date: new Date() }],
      });
      db.prepare("INSERT INTO users (id, display_name, role, created_at) VALUES (1, 'Setup', 'admin', ?)").run(now);
      db.prepare(
        "INSERT INTO trust_anchors (owner_id, marking, subject, sha256, der, added_at) VALUES (1, 'UNCLASSIFIED', 'root', ?, X'00', ?)",
      ).run('a'.repeat(64), now);
      db.prepare(
        "INSERT INTO crls (owner_id, marking, issuer, this_update, der, imported_at) VALUES (1, 'UNCLASSIFIED', 'x', 'x', ?, ?)",
      ).run(crl, now);
      db.prepare(
        "INSERT INTO crls (owner_id, marking, issuer, this_update, der, imported_at) VALUES (1, 'UNCLASSIFIED', 'kept', 'kept', X'00', ?)",
      ).run(now);
      migrate(db);
      expect(db.prepare('SELECT owner_id AS owner, added_by AS addedBy FROM trust_anchors').all()).toEqual([
        { owner: 1, addedBy: 'user:1' },
      ]);
      const rows = db
        .prepare(
          'SELECT issuer, crl_number AS crlNumber, revoked_count AS revoked, sha256, imported_by AS importedBy FROM crls ORDER BY id',
        )
        .all();
      expect(rows).toEqual([
        {
          issuer: 'CN=Migration Test CA',
          crlNumber: '7',
          revoked: 1,
          sha256: createHash('sha256').update(crl).digest('hex'),
          importedBy: 'user:1',
        },
        { issuer: 'kept', crlNumber: null, revoked: 0, sha256: null, importedBy: 'user:1' },
      ]);
      const ownerless = db.prepare(
        "INSERT INTO trust_anchors (owner_id, added_by, marking, subject, sha256, der, added_at) VALUES (NULL, 'recovery', 'UNCLASSIFIED', 'i', ?, X'00', ?)",
      );
      expect(ownerless.run('b'.repeat(64), now).changes).toBe(1);
    });
  });
});
