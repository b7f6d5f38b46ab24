import { createHash } from 'node:crypto';
import { sql } from '../queries/sql';
import type { Migration } from './types';

// The model library (docs/models.md): a model's last change and its trash state, each version's
// comment and SHA-256 (of its canonical JSON, which is what `body` holds), and sharing with named
// users or roles. The `shared` flag of schema 1 is left in place and unused: grants replace it.
const versionBodies = sql<[], { id: number; body: string }>('SELECT id, body FROM model_versions');
const setVersionHash = sql<[sha256: string, id: number]>('UPDATE model_versions SET sha256 = ? WHERE id = ?');

export const modelLibrary: Migration = {
  version: 3,
  name: 'model-library',
  up(db) {
    db.exec(`
      ALTER TABLE models ADD COLUMN updated_at TEXT;
      ALTER TABLE models ADD COLUMN deleted_at TEXT;
      ALTER TABLE models ADD COLUMN deleted_by TEXT;
      UPDATE models SET updated_at = COALESCE(
        (SELECT max(created_at) FROM model_versions v WHERE v.model_id = models.id), created_at);
      CREATE INDEX models_by_owner ON models (owner_id);
      CREATE INDEX models_by_deletion ON models (deleted_at);

      ALTER TABLE model_versions ADD COLUMN comment TEXT NOT NULL DEFAULT '';
      ALTER TABLE model_versions ADD COLUMN sha256 TEXT NOT NULL DEFAULT '';

      -- grantee: 'user:<id>' or 'role:<role>'.
      CREATE TABLE model_shares (
        model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        grantee TEXT NOT NULL,
        access TEXT NOT NULL CHECK (access IN ('read', 'edit')),
        PRIMARY KEY (model_id, grantee)
      ) STRICT;
      CREATE INDEX model_shares_by_grantee ON model_shares (grantee);
    `);
    // Versions from schema 2 get the hash of the body they hold.
    for (const row of versionBodies.all(db))
      setVersionHash.run(db, createHash('sha256').update(row.body, 'utf8').digest('hex'), row.id);
  },
};
