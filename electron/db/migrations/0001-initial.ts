import type { Migration } from './types';

// Every object row carries its owner and its classification marking (validated by
// common/markings on the service side before it is written).
export const initial: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      -- This workstation's site and the peer sites it exchanges bundles with.
      CREATE TABLE sites (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        system_high TEXT NOT NULL,
        country TEXT NOT NULL DEFAULT 'USA',
        is_local INTEGER NOT NULL DEFAULT 0 CHECK (is_local IN (0, 1)),
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        edipi TEXT UNIQUE,
        upn TEXT UNIQUE,
        uuid TEXT UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer')),
        created_at TEXT NOT NULL,
        disabled_at TEXT
      ) STRICT;

      CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        owner_id INTEGER NOT NULL REFERENCES users(id),
        name TEXT NOT NULL,
        marking TEXT NOT NULL,
        shared INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1)),
        created_at TEXT NOT NULL
      ) STRICT;

      -- Every save is a new version; old versions are kept.
      CREATE TABLE model_versions (
        id INTEGER PRIMARY KEY,
        model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        owner_id INTEGER NOT NULL REFERENCES users(id),
        marking TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (model_id, version)
      ) STRICT;

      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        model_version_id INTEGER NOT NULL REFERENCES model_versions(id) ON DELETE CASCADE,
        owner_id INTEGER NOT NULL REFERENCES users(id),
        marking TEXT NOT NULL,
        seed TEXT NOT NULL,
        engine TEXT NOT NULL,
        iterations INTEGER NOT NULL,
        summary TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX runs_by_age ON runs (created_at);

      CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
        owner_id INTEGER NOT NULL REFERENCES users(id),
        marking TEXT NOT NULL,
        title TEXT NOT NULL,
        body BLOB NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE trust_anchors (
        id INTEGER PRIMARY KEY,
        owner_id INTEGER NOT NULL REFERENCES users(id),
        marking TEXT NOT NULL,
        subject TEXT NOT NULL,
        sha256 TEXT NOT NULL UNIQUE,
        der BLOB NOT NULL,
        added_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE crls (
        id INTEGER PRIMARY KEY,
        owner_id INTEGER NOT NULL REFERENCES users(id),
        marking TEXT NOT NULL,
        issuer TEXT NOT NULL,
        this_update TEXT NOT NULL,
        next_update TEXT,
        der BLOB NOT NULL,
        imported_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE bundle_ledger (
        id INTEGER PRIMARY KEY,
        owner_id INTEGER NOT NULL REFERENCES users(id),
        marking TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('export', 'import')),
        bundle_id TEXT NOT NULL UNIQUE,
        sha256 TEXT NOT NULL,
        peer TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;

      -- Append-only, with a keyed chain: entry is the canonical JSON (UTF-8) of [seq, at, actor,
      -- event, object, outcome, detail]; mac = HMAC-SHA256(audit key, previous mac || entry).
      -- The other columns are views of entry for queries.
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        entry BLOB NOT NULL,
        mac BLOB NOT NULL,
        at TEXT GENERATED ALWAYS AS (json_extract(CAST(entry AS TEXT), '$[1]')) VIRTUAL,
        actor TEXT GENERATED ALWAYS AS (json_extract(CAST(entry AS TEXT), '$[2]')) VIRTUAL,
        event TEXT GENERATED ALWAYS AS (json_extract(CAST(entry AS TEXT), '$[3]')) VIRTUAL,
        outcome TEXT GENERATED ALWAYS AS (json_extract(CAST(entry AS TEXT), '$[5]')) VIRTUAL
      ) STRICT;
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

      -- The authenticated end of the chain (its last mac): catches a log cut short.
      CREATE TABLE audit_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        last_mac BLOB NOT NULL,
        mac BLOB NOT NULL
      ) STRICT;
    `);
  },
};
