import { describeCrl, parseCrlDer } from '../../services/identity/trust-material';
import type { Migration } from './types';

// Trust anchors and CRLs are first imported during setup, under the recovery secret, before any
// user row exists: owner_id becomes optional and the importing actor ('recovery', 'user:3') is
// kept as text. SQLite cannot drop NOT NULL in place, so both tables are rebuilt. A CRL also keeps
// what the admin page and the next import compare (number, revoked count, SHA-256), so a CRL of
// tens of megabytes is parsed once, at import, not at every listing.
export const trustImportedBy: Migration = {
  version: 2,
  name: 'trust-imported-by',
  up(db) {
    db.exec(`
      CREATE TABLE trust_anchors_v2 (
        id INTEGER PRIMARY KEY,
        owner_id INTEGER REFERENCES users(id),
        added_by TEXT NOT NULL,
        marking TEXT NOT NULL,
        subject TEXT NOT NULL,
        sha256 TEXT NOT NULL UNIQUE,
        der BLOB NOT NULL,
        added_at TEXT NOT NULL
      ) STRICT;
      INSERT INTO trust_anchors_v2 (id, owner_id, added_by, marking, subject, sha256, der, added_at)
        SELECT id, owner_id, 'user:' || owner_id, marking, subject, sha256, der, added_at FROM trust_anchors;
      DROP TABLE trust_anchors;
      ALTER TABLE trust_anchors_v2 RENAME TO trust_anchors;

      CREATE TABLE crls_v2 (
        id INTEGER PRIMARY KEY,
        owner_id INTEGER REFERENCES users(id),
        imported_by TEXT NOT NULL,
        marking TEXT NOT NULL,
        issuer TEXT NOT NULL,
        this_update TEXT NOT NULL,
        next_update TEXT,
        crl_number TEXT,
        revoked_count INTEGER NOT NULL DEFAULT 0,
        sha256 TEXT,
        der BLOB NOT NULL,
        imported_at TEXT NOT NULL
      ) STRICT;
      INSERT INTO crls_v2 (id, owner_id, imported_by, marking, issuer, this_update, next_update, der, imported_at)
        SELECT id, owner_id, 'user:' || owner_id, marking, issuer, this_update, next_update, der, imported_at FROM crls;
      DROP TABLE crls;
      ALTER TABLE crls_v2 RENAME TO crls;
    `);
    // Rows from schema 1 get their columns from their DER; one that does not parse keeps what it had.
    const update = db.prepare(
      'UPDATE crls SET issuer = ?, this_update = ?, next_update = ?, crl_number = ?, revoked_count = ?, sha256 = ? WHERE id = ?',
    );
    for (const row of db.prepare('SELECT id, der FROM crls').all() as { id: number; der: Buffer }[]) {
      let info: ReturnType<typeof describeCrl>;
      try {
        info = describeCrl(row.der, parseCrlDer(row.der));
      } catch {
        continue;
      }
      update.run(
        info.issuer,
        info.thisUpdate.toISOString(),
        info.nextUpdate?.toISOString() ?? null,
        info.crlNumber,
        info.revokedCount,
        info.sha256,
        row.id,
      );
    }
  },
};
