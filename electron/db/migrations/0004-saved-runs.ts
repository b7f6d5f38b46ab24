import type { Migration } from './types';

// Saved runs (docs/runs.md): schema 1's `runs` table gains what a saved run records besides its
// model version, owner, marking, seed, engine, iterations and results (`summary`): its name and
// comment, sampling, the engine in words, the app's version, its settings, when it ran, the layout
// of its kept samples, and whether it is still being saved (`uploading`: invisible, discarded unless
// finished). The samples are pages of compressed bytes in their own table, deleted with their run.
export const savedRuns: Migration = {
  version: 4,
  name: 'saved-runs',
  up(db) {
    db.exec(`
      ALTER TABLE runs ADD COLUMN name TEXT NOT NULL DEFAULT '';
      ALTER TABLE runs ADD COLUMN comment TEXT NOT NULL DEFAULT '';
      ALTER TABLE runs ADD COLUMN sampling TEXT NOT NULL DEFAULT 'mc' CHECK (sampling IN ('mc', 'lhs'));
      ALTER TABLE runs ADD COLUMN engine_description TEXT NOT NULL DEFAULT '';
      ALTER TABLE runs ADD COLUMN app_version TEXT NOT NULL DEFAULT '';
      ALTER TABLE runs ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
      ALTER TABLE runs ADD COLUMN started_at TEXT;
      ALTER TABLE runs ADD COLUMN finished_at TEXT;
      ALTER TABLE runs ADD COLUMN samples TEXT;
      ALTER TABLE runs ADD COLUMN state TEXT NOT NULL DEFAULT 'complete' CHECK (state IN ('uploading', 'complete'));
      CREATE INDEX runs_by_model_version ON runs (model_version_id);

      CREATE TABLE run_sample_pages (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        page INTEGER NOT NULL CHECK (page >= 0),
        data BLOB NOT NULL,
        PRIMARY KEY (run_id, page)
      ) STRICT;
    `);
  },
};
