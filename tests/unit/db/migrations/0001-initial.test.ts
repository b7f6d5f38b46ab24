import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../electron/db/migrate';
import { MIGRATIONS } from '../../../../electron/db/migrations';
import { useFreshDatabases } from './fresh-database';

// 0001-initial: the version before it is the empty file a new store starts as (user_version 0).

const fresh = useFreshDatabases();
const UP_TO_0001 = MIGRATIONS.slice(0, 1);

describe('0001-initial', () => {
  it('takes an empty database at version 0 to version 1, where every table takes and keeps a row', () => {
    const db = fresh();
    expect(schemaVersion(db)).toBe(0);
    expect(migrate(db, UP_TO_0001)).toEqual([1]);
    expect(schemaVersion(db)).toBe(1);
    const at = '2024-01-01T00:00:00.000Z';
    db.exec(`
      INSERT INTO settings (key, value) VALUES ('k', 'v');
      INSERT INTO sites (id, name, system_high, is_local, created_at) VALUES (1, 'Site', 'SECRET', 1, '${at}');
      INSERT INTO users (id, edipi, display_name, role, created_at) VALUES (1, '1234567890', 'A', 'admin', '${at}');
      INSERT INTO models (id, owner_id, name, marking, created_at) VALUES (1, 1, 'm', 'SECRET', '${at}');
      INSERT INTO model_versions (id, model_id, version, owner_id, marking, body, created_at) VALUES (1, 1, 1, 1, 'SECRET', '{}', '${at}');
      INSERT INTO runs (id, model_version_id, owner_id, marking, seed, engine, iterations, summary, created_at) VALUES (1, 1, 1, 'SECRET', '7', 'cpu', 1000, '{}', '${at}');
      INSERT INTO reports (id, run_id, owner_id, marking, title, body, created_at) VALUES (1, 1, 1, 'SECRET', 'r', X'01', '${at}');
      INSERT INTO trust_anchors (id, owner_id, marking, subject, sha256, der, added_at) VALUES (1, 1, 'UNCLASSIFIED', 's', 'h', X'02', '${at}');
      INSERT INTO crls (id, owner_id, marking, issuer, this_update, der, imported_at) VALUES (1, 1, 'UNCLASSIFIED', 'i', '${at}', X'03', '${at}');
      INSERT INTO bundle_ledger (id, owner_id, marking, direction, bundle_id, sha256, peer, created_at) VALUES (1, 1, 'SECRET', 'export', 'b', 'h', 'p', '${at}');
      INSERT INTO audit_log (seq, entry, mac) VALUES (1, CAST('[1,"${at}","a","setup","","success","{}"]' AS BLOB), X'04');
      INSERT INTO audit_head (id, seq, last_mac, mac) VALUES (1, 1, X'04', X'05');
    `);
    expect(migrate(db, UP_TO_0001)).toEqual([]);
    expect(db.prepare('SELECT name, system_high AS systemHigh FROM sites').all()).toEqual([
      { name: 'Site', systemHigh: 'SECRET' },
    ]);
    expect(db.prepare('SELECT at, actor, event, outcome FROM audit_log').all()).toEqual([
      { at, actor: 'a', event: 'setup', outcome: 'success' },
    ]);
    expect(
      db
        .prepare(
          'SELECT r.title, v.version FROM reports r JOIN runs u ON u.id = r.run_id JOIN model_versions v ON v.id = u.model_version_id',
        )
        .all(),
    ).toEqual([{ title: 'r', version: 1 }]);
  });

  it('creates STRICT tables whose object rows carry an owner and a marking', () => {
    const db = fresh();
    migrate(db, UP_TO_0001);
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
    migrate(db, UP_TO_0001);
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
