import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../electron/db/migrate';
import { MIGRATIONS } from '../../../../electron/db/migrations';
import { useFreshDatabases } from './fresh-database';

// 0005-reports: from a schema 4 database with a user in it (schema 1's reports table was never written).

const fresh = useFreshDatabases();

describe('0005-reports', () => {
  it('replaces the unused reports table with reports, immutable versions and grants, deleted with their report', () => {
    const db = fresh();
    migrate(db, MIGRATIONS.slice(0, 4));
    db.prepare(
      "INSERT INTO users (id, display_name, role, created_at) VALUES (1, 'Ann Analyst', 'analyst', 't0')",
    ).run();
    migrate(db);
    db.prepare(
      "INSERT INTO reports (id, owner_id, title, marking, model_id, model_version, model_name, created_at, updated_at) VALUES (1, 1, 'Review', 'UNCLASSIFIED', 7, 2, 'Cost', 't1', 't1')",
    ).run();
    const version = db.prepare(
      "INSERT INTO report_versions (report_id, version, owner_id, marking, definition, comment, created_at, pdf_sha256, pdf_bytes, pdf) VALUES (?, ?, 1, 'UNCLASSIFIED', '{}', '', 't1', 'h', 3, X'010203')",
    );
    version.run(1, 1);
    expect(() => version.run(1, 1)).toThrow(/UNIQUE/);
    expect(() => version.run(99, 1)).toThrow(/FOREIGN KEY/);
    // A version is never changed: a change is a new version.
    expect(() => db.prepare("UPDATE report_versions SET pdf = X'00' WHERE report_id = 1").run()).toThrow(
      /a report version is never changed/,
    );
    db.prepare("INSERT INTO report_shares (report_id, grantee, access) VALUES (1, 'role:viewer', 'read')").run();
    expect(() =>
      db.prepare("INSERT INTO report_shares (report_id, grantee, access) VALUES (1, 'user:1', 'own')").run(),
    ).toThrow(/CHECK constraint/);
    db.prepare('DELETE FROM reports WHERE id = 1').run();
    expect(
      db.prepare('SELECT (SELECT count(*) FROM report_versions) + (SELECT count(*) FROM report_shares) AS n').get(),
    ).toEqual({
      n: 0,
    });
  });

  it('refuses, changing nothing, a schema 4 store with rows in the old reports table', () => {
    const db = fresh();
    migrate(db, MIGRATIONS.slice(0, 4));
    db.exec(`
      INSERT INTO users (id, display_name, role, created_at) VALUES (1, 'A', 'admin', 't0');
      INSERT INTO reports (id, run_id, owner_id, marking, title, body, created_at) VALUES (1, NULL, 1, 'SECRET', 'r', X'01', 't0');
    `);
    expect(() => migrate(db)).toThrow(/1 report\(s\) of schema 1/);
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    expect(db.prepare('SELECT title FROM reports').all()).toEqual([{ title: 'r' }]);
  });
});
