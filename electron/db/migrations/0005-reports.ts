import { sql } from '../queries/sql';
import type { Migration } from './types';

// The report library (docs/reports.md). Schema 1 reserved a `reports` table (one body, one run) that
// no version before schema 5 ever wrote; it is replaced by a report (owner, title, latest banner, the
// model it reports on) with immutable versions (the definition's canonical JSON, its banner, comment,
// who saved it and when, and the rendered PDF with its SHA-256) and grants as models have them.
// A report names its model by id, without a foreign key: it is its own record and outlives a purged model.
const legacyRows = sql<[], { n: number }>('SELECT count(*) AS n FROM reports');

export const reportLibrary: Migration = {
  version: 5,
  name: 'reports',
  up(db) {
    const n = legacyRows.get(db)?.n ?? 0;
    if (n > 0) throw new Error(`The store holds ${n} report(s) of schema 1, which no version of Enclave wrote.`);
    db.exec(`
      DROP TABLE reports;
      CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        owner_id INTEGER NOT NULL REFERENCES users(id),
        title TEXT NOT NULL,
        marking TEXT NOT NULL,
        model_id INTEGER NOT NULL,
        model_version INTEGER NOT NULL,
        model_name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX reports_by_owner ON reports (owner_id);
      CREATE INDEX reports_by_model ON reports (model_id);

      -- owner_id: who saved the version. The PDF is the last column, so listing versions never reads it.
      CREATE TABLE report_versions (
        id INTEGER PRIMARY KEY,
        report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        version INTEGER NOT NULL CHECK (version >= 1),
        owner_id INTEGER NOT NULL REFERENCES users(id),
        marking TEXT NOT NULL,
        definition TEXT NOT NULL,
        comment TEXT NOT NULL,
        created_at TEXT NOT NULL,
        pdf_sha256 TEXT NOT NULL,
        pdf_bytes INTEGER NOT NULL CHECK (pdf_bytes > 0),
        pdf BLOB NOT NULL,
        UNIQUE (report_id, version)
      ) STRICT;
      CREATE TRIGGER report_versions_immutable BEFORE UPDATE ON report_versions
        BEGIN SELECT RAISE(ABORT, 'a report version is never changed: save a new one'); END;

      -- grantee: 'user:<id>' or 'role:<role>'.
      CREATE TABLE report_shares (
        report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        grantee TEXT NOT NULL,
        access TEXT NOT NULL CHECK (access IN ('read', 'edit')),
        PRIMARY KEY (report_id, grantee)
      ) STRICT;
      CREATE INDEX report_shares_by_grantee ON report_shares (grantee);
    `);
  },
};
