import type { Migration } from './types';

// Sneakernet updates (docs/updates.md). tuf_metadata holds only metadata that passed verification,
// written in the same transaction as the payloads it authorised, and is never read back from media;
// its row 'time-floor' is the newest time this workstation has verified. update_history keeps every
// attempt: a row is committed as 'started' before the apply's transaction and becomes 'applied' in
// it, so an apply killed half-way leaves a 'started' row that the next start reports.
export const updates: Migration = {
  version: 7,
  name: 'updates',
  up(db) {
    db.exec(`
      CREATE TABLE tuf_metadata (
        role TEXT PRIMARY KEY,
        bytes BLOB NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE update_history (
        id INTEGER PRIMARY KEY,
        state TEXT NOT NULL CHECK (state IN ('started', 'applied', 'interrupted', 'failed')),
        actor TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        root_version INTEGER NOT NULL,
        timestamp_version INTEGER NOT NULL,
        snapshot_version INTEGER NOT NULL,
        targets_version INTEGER NOT NULL,
        reason TEXT
      ) STRICT;

      -- The card certificates each user has signed in or been enrolled with, so that a trust update that
      -- would revoke every administrator's card is seen before it is applied.
      CREATE TABLE user_certificates (
        sha256 TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id),
        kind TEXT NOT NULL CHECK (kind IN ('authentication', 'key-management')),
        der BLOB NOT NULL,
        recorded_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX user_certificates_by_user ON user_certificates (user_id);

      -- Model templates from update bundles: the library model each target name became.
      CREATE TABLE update_models (
        target_name TEXT PRIMARY KEY,
        model_id INTEGER NOT NULL REFERENCES models (id),
        sha256 TEXT NOT NULL
      ) STRICT;

      CREATE TABLE update_history_targets (
        update_id INTEGER NOT NULL REFERENCES update_history (id),
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        length INTEGER NOT NULL,
        result TEXT NOT NULL,
        PRIMARY KEY (update_id, name)
      ) STRICT;
    `);
  },
};
