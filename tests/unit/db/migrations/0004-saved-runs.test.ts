import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../electron/db/migrate';
import { MIGRATIONS } from '../../../../electron/db/migrations';
import { useFreshDatabases } from './fresh-database';

// 0004-saved-runs: from a schema 3 database with a model version and a run of it in it.

const fresh = useFreshDatabases();

describe('0004-saved-runs', () => {
  it('keeps schema 3 runs as complete runs without samples, and deletes a run’s sample pages with it', () => {
    const db = fresh();
    migrate(db, MIGRATIONS.slice(0, 3));
    db.prepare(
      "INSERT INTO users (id, display_name, role, created_at) VALUES (1, 'Ann Analyst', 'analyst', 't0')",
    ).run();
    db.prepare(
      "INSERT INTO models (id, owner_id, name, marking, created_at) VALUES (1, 1, 'Cost', 'UNCLASSIFIED', 't0')",
    ).run();
    db.prepare(
      "INSERT INTO model_versions (id, model_id, version, owner_id, marking, body, created_at) VALUES (1, 1, 1, 1, 'UNCLASSIFIED', '{}', 't0')",
    ).run();
    db.prepare(
      "INSERT INTO runs (id, model_version_id, owner_id, marking, seed, engine, iterations, summary, created_at) VALUES (1, 1, 1, 'UNCLASSIFIED', '7', 'cpu', 1000, '{}', 't1')",
    ).run();
    migrate(db);
    expect(db.prepare('SELECT id, seed, name, sampling, state, samples, settings FROM runs').all()).toEqual([
      { id: 1, seed: '7', name: '', sampling: 'mc', state: 'complete', samples: null, settings: '{}' },
    ]);
    db.prepare('INSERT INTO run_sample_pages (run_id, page, data) VALUES (1, 0, ?)').run(Buffer.from([1, 2, 3]));
    expect(() => db.prepare("UPDATE runs SET state = 'half' WHERE id = 1").run()).toThrow(/CHECK constraint/);
    expect(() =>
      db.prepare('INSERT INTO run_sample_pages (run_id, page, data) VALUES (99, 0, ?)').run(Buffer.from([1])),
    ).toThrow(/FOREIGN KEY/);
    db.prepare('DELETE FROM runs WHERE id = 1').run();
    expect(db.prepare('SELECT count(*) AS n FROM run_sample_pages').get()).toEqual({ n: 0 });
  });
});
