import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { sql } from '../queries/sql';
import type { Migration } from './types';

// Trust anchors and CRLs are first imported during setup, under the recovery secret, before any
// user row exists: owner_id becomes optional and the importing actor ('recovery', 'user:3') is
// kept as text. SQLite cannot drop NOT NULL in place, so both tables are rebuilt. A CRL also keeps
// what the admin page and the next import compare (number, revoked count, SHA-256), so a CRL of
// tens of megabytes is parsed once, at import, not at every listing.
const crlRows = sql<[], { id: number; der: Buffer }>('SELECT id, der FROM crls');
const updateCrl = sql<
  [
    issuer: string,
    thisUpdate: string,
    nextUpdate: string | null,
    crlNumber: string | null,
    revokedCount: number,
    sha256: string,
    id: number,
  ]
>(
  'UPDATE crls SET issuer = ?, this_update = ?, next_update = ?, crl_number = ?, revoked_count = ?, sha256 = ? WHERE id = ?',
);

// This migration's own CRL reader, so it never changes when the trust service's does: the columns
// schema 2 keeps, read the way Enclave read them when schema 2 was released. A CRL that is not a
// full CRL (delta, or one distribution point only) was refused at import then, so it keeps its row as is.
const DELTA_CRL_INDICATOR = '2.5.29.27';
const ISSUING_DISTRIBUTION_POINT = '2.5.29.28';
const CRL_NUMBER = '2.5.29.20';
const NAME_LABELS: Record<string, string> = {
  '2.5.4.6': 'C',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.3': 'CN',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.5': 'SERIALNUMBER',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
};

interface CrlColumns {
  issuer: string;
  thisUpdate: Date;
  nextUpdate: Date | null;
  crlNumber: string | null;
  revokedCount: number;
  sha256: string;
}

/** The columns from a CRL's DER, or null when it is not a full CRL that parses. */
function readCrl(der: Buffer): CrlColumns | null {
  try {
    const crl = pkijs.CertificateRevocationList.fromBER(der);
    const extensions = crl.crlExtensions?.extensions ?? [];
    if (extensions.some((e) => e.extnID === DELTA_CRL_INDICATOR || e.extnID === ISSUING_DISTRIBUTION_POINT))
      return null;
    const number = extensions.find((e) => e.extnID === CRL_NUMBER)?.parsedValue as asn1js.Integer | undefined;
    return {
      // Most specific first (CN=…, OU=…, O=…, C=US).
      issuer: crl.issuer.typesAndValues
        .map(
          (tv) =>
            `${NAME_LABELS[tv.type] ?? tv.type}=${String((tv.value.valueBlock as { value?: unknown }).value ?? '')}`,
        )
        .reverse()
        .join(', '),
      thisUpdate: crl.thisUpdate.value,
      nextUpdate: crl.nextUpdate?.value ?? null,
      crlNumber: number
        ? BigInt(`0x${Buffer.from(number.valueBlock.valueHexView).toString('hex') || '0'}`).toString()
        : null,
      revokedCount: crl.revokedCertificates?.length ?? 0,
      sha256: createHash('sha256').update(der).digest('hex'),
    };
  } catch {
    return null;
  }
}

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
    for (const row of crlRows.all(db)) {
      const info = readCrl(row.der);
      if (!info) continue;
      updateCrl.run(
        db,
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
