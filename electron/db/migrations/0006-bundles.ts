import { sql } from '../queries/sql';
import type { Migration } from './types';

const ledgerRows = sql<[], { n: number }>('SELECT count(*) AS n FROM bundle_ledger');

// Export bundles (docs/bundle-format.md): the channels' sequence numbers both ways, the quarantine
// of verified bundles awaiting review, every applied record by its hash (so a bundle imported twice
// changes nothing), and where imported objects came from. bundle_ledger (schema 1) was never
// written by any version: it is rebuilt without its owner column, which a bundle has no use for.
export const bundles: Migration = {
  version: 6,
  name: 'bundles',
  up(db) {
    const n = ledgerRows.get(db)?.n ?? 0;
    if (n > 0)
      throw new Error(`The store holds ${n} bundle ledger row(s) of schema 1, which no version of Enclave wrote.`);
    db.exec(`
      DROP TABLE bundle_ledger;

      CREATE TABLE bundle_channels_out (
        channel TEXT PRIMARY KEY,
        destination TEXT NOT NULL,
        last_sequence INTEGER NOT NULL CHECK (last_sequence >= 0),
        last_hash TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE bundle_channels_in (
        source_site TEXT NOT NULL,
        channel TEXT NOT NULL,
        last_sequence INTEGER NOT NULL CHECK (last_sequence >= 1),
        last_hash TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (source_site, channel)
      ) STRICT;

      -- One row per bundle made or released here. bundle_hash: SHA-512 of its tag manifest.
      CREATE TABLE bundle_ledger (
        id INTEGER PRIMARY KEY,
        direction TEXT NOT NULL CHECK (direction IN ('export', 'import')),
        bundle_id TEXT NOT NULL,
        bundle_hash TEXT NOT NULL,
        file_sha256 TEXT NOT NULL,
        marking TEXT NOT NULL,
        source_site TEXT NOT NULL,
        channel TEXT NOT NULL,
        sequence INTEGER NOT NULL,
        records INTEGER NOT NULL,
        actor TEXT NOT NULL,
        at TEXT NOT NULL,
        UNIQUE (direction, bundle_id)
      ) STRICT;

      -- Verified bundles waiting for review, and what became of them. folder: under <data dir>/quarantine.
      CREATE TABLE bundle_quarantine (
        id INTEGER PRIMARY KEY,
        bundle_id TEXT NOT NULL,
        bundle_hash TEXT NOT NULL,
        file_sha256 TEXT NOT NULL,
        folder TEXT NOT NULL UNIQUE,
        marking TEXT NOT NULL,
        summary TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('verified', 'released', 'rejected')),
        received_by TEXT NOT NULL,
        received_at TEXT NOT NULL,
        reviewed_by TEXT,
        reviewed_at TEXT,
        review_note TEXT
      ) STRICT;
      CREATE INDEX bundle_quarantine_by_state ON bundle_quarantine (state);

      CREATE TABLE bundle_records (
        sha256 TEXT PRIMARY KEY,
        bundle_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('model-version', 'run', 'report')),
        local_id INTEGER NOT NULL,
        applied_at TEXT NOT NULL
      ) STRICT;

      -- origin_key: model:<id>, model:<id>@<version>, run:<id>, report:<id>, report:<id>@<version>.
      CREATE TABLE bundle_origins (
        source_site TEXT NOT NULL,
        origin_key TEXT NOT NULL,
        local_id INTEGER NOT NULL,
        record_sha256 TEXT,
        PRIMARY KEY (source_site, origin_key)
      ) STRICT;
    `);
  },
};
