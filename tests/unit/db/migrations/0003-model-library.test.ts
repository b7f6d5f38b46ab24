import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../electron/db/migrate';
import { MIGRATIONS } from '../../../../electron/db/migrations';
import { useFreshDatabases } from './fresh-database';

// 0003-model-library: from a schema 2 database with users, a model and its versions in it.

const fresh = useFreshDatabases();

describe('0003-model-library', () => {
  it('keeps schema 2 models and versions, dates each model by its last version, hashes each body, and adds grants', () => {
    const db = fresh();
    migrate(db, MIGRATIONS.slice(0, 2));
    db.prepare(
      "INSERT INTO users (id, display_name, role, created_at) VALUES (1, 'Ann Analyst', 'analyst', 't0')",
    ).run();
    db.prepare(
      "INSERT INTO models (id, owner_id, name, marking, created_at) VALUES (1, 1, 'Cost', 'UNCLASSIFIED', '2026-01-01T00:00:00.000Z')",
    ).run();
    db.prepare(
      "INSERT INTO models (id, owner_id, name, marking, created_at) VALUES (2, 1, 'Empty', 'UNCLASSIFIED', '2026-02-01T00:00:00.000Z')",
    ).run();
    const insertVersion = db.prepare(
      "INSERT INTO model_versions (model_id, version, owner_id, marking, body, created_at) VALUES (1, ?, 1, 'UNCLASSIFIED', ?, ?)",
    );
    insertVersion.run(1, '{"v":1}', '2026-01-02T00:00:00.000Z');
    insertVersion.run(2, '{"v":2}', '2026-01-03T00:00:00.000Z');
    migrate(db);
    expect(
      db.prepare('SELECT id, name, updated_at AS updatedAt, deleted_at AS deletedAt FROM models ORDER BY id').all(),
    ).toEqual([
      { id: 1, name: 'Cost', updatedAt: '2026-01-03T00:00:00.000Z', deletedAt: null },
      { id: 2, name: 'Empty', updatedAt: '2026-02-01T00:00:00.000Z', deletedAt: null },
    ]);
    expect(db.prepare('SELECT version, comment, sha256 FROM model_versions ORDER BY version').all()).toEqual([
      { version: 1, comment: '', sha256: createHash('sha256').update('{"v":1}').digest('hex') },
      { version: 2, comment: '', sha256: createHash('sha256').update('{"v":2}').digest('hex') },
    ]);
    db.prepare("INSERT INTO model_shares (model_id, grantee, access) VALUES (1, 'user:1', 'edit')").run();
    expect(() =>
      db.prepare("INSERT INTO model_shares (model_id, grantee, access) VALUES (1, 'role:viewer', 'own')").run(),
    ).toThrow(/CHECK constraint/);
    // A grant goes with its model.
    db.prepare('DELETE FROM models WHERE id = 1').run();
    expect(db.prepare('SELECT count(*) AS n FROM model_shares').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM model_versions').get()).toEqual({ n: 0 });
  });
});
