import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../electron/db/migrate';
import { MIGRATIONS } from '../../../../electron/db/migrations';
import { distinguishedName, generateKeyPair, issueCertificate, issueCrl, OID } from '../../../support/fixtures/piv/pki';
import { useFreshDatabases } from './fresh-database';

// 0002-trust-imported-by: from a schema 1 database with users, trust anchors and CRLs in it.

const fresh = useFreshDatabases();

/** A self-signed CA that can sign a CRL. */
async function testCa() {
  const key = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  const name = distinguishedName([[OID.commonName, 'Migration Test CA']]);
  return issueCertificate({
    subject: name,
    key,
    issuer: null,
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 86_400_000),
    ca: {},
    keyUsage: ['keyCertSign', 'cRLSign'],
  });
}

/** The same CRL marked as a delta CRL (deltaCRLIndicator): a full CRL was required at import, so 0002 leaves it alone. */
function asDeltaCrl(der: Buffer): Buffer {
  const crl = pkijs.CertificateRevocationList.fromBER(der);
  crl.crlExtensions!.extensions.push(
    new pkijs.Extension({
      extnID: '2.5.29.27',
      critical: true,
      extnValue: new asn1js.Integer({ value: 6 }).toBER(false),
    }),
  );
  return Buffer.from(crl.toSchema(true).toBER()); // true: encode the TBS again, with the new extension
}

describe('0002-trust-imported-by', () => {
  it('keeps schema 1 trust rows, lets setup import without an owner, and fills each CRL’s kept columns from its DER', async () => {
    const db = fresh();
    migrate(db, MIGRATIONS.slice(0, 1));
    const now = new Date().toISOString();
    const crl = await issueCrl({
      issuer: await testCa(),
      thisUpdate: new Date(Date.now() - 3_600_000),
      nextUpdate: new Date(Date.now() + 86_400_000),
      number: 7,
      revoked: [{ serialNumber: Buffer.from([1, 2, 3]), date: new Date() }],
    });
    db.prepare("INSERT INTO users (id, display_name, role, created_at) VALUES (1, 'Setup', 'admin', ?)").run(now);
    db.prepare(
      "INSERT INTO trust_anchors (owner_id, marking, subject, sha256, der, added_at) VALUES (1, 'UNCLASSIFIED', 'root', ?, X'00', ?)",
    ).run('a'.repeat(64), now);
    db.prepare(
      "INSERT INTO crls (owner_id, marking, issuer, this_update, der, imported_at) VALUES (1, 'UNCLASSIFIED', 'x', 'x', ?, ?)",
    ).run(crl, now);
    db.prepare(
      "INSERT INTO crls (owner_id, marking, issuer, this_update, der, imported_at) VALUES (1, 'UNCLASSIFIED', 'kept', 'kept', X'00', ?)",
    ).run(now);
    migrate(db);
    expect(db.prepare('SELECT owner_id AS owner, added_by AS addedBy FROM trust_anchors').all()).toEqual([
      { owner: 1, addedBy: 'user:1' },
    ]);
    const rows = db
      .prepare(
        'SELECT issuer, crl_number AS crlNumber, revoked_count AS revoked, sha256, imported_by AS importedBy FROM crls ORDER BY id',
      )
      .all();
    expect(rows).toEqual([
      {
        issuer: 'CN=Migration Test CA',
        crlNumber: '7',
        revoked: 1,
        sha256: createHash('sha256').update(crl).digest('hex'),
        importedBy: 'user:1',
      },
      { issuer: 'kept', crlNumber: null, revoked: 0, sha256: null, importedBy: 'user:1' },
    ]);
    const ownerless = db.prepare(
      "INSERT INTO trust_anchors (owner_id, added_by, marking, subject, sha256, der, added_at) VALUES (NULL, 'recovery', 'UNCLASSIFIED', 'i', ?, X'00', ?)",
    );
    expect(ownerless.run('b'.repeat(64), now).changes).toBe(1);
  });

  it('moves every schema 1 column of both tables over unchanged, leaves a delta CRL as it was, and ends at version 2', async () => {
    const db = fresh();
    migrate(db, MIGRATIONS.slice(0, 1));
    const at = '2024-05-01T12:00:00.000Z';
    const crl = await issueCrl({
      issuer: await testCa(),
      thisUpdate: new Date('2024-05-01T00:00:00Z'),
      nextUpdate: new Date('2024-06-01T00:00:00Z'),
      number: 300,
      revoked: [],
    });
    const delta = asDeltaCrl(crl);
    db.prepare("INSERT INTO users (id, display_name, role, created_at) VALUES (4, 'Admin', 'admin', ?)").run(at);
    db.prepare("INSERT INTO settings (key, value) VALUES ('card.slot.card-1', '4')").run();
    db.prepare(
      "INSERT INTO trust_anchors (id, owner_id, marking, subject, sha256, der, added_at) VALUES (9, 4, 'UNCLASSIFIED', 'CN=Root', ?, X'3082', ?)",
    ).run('c'.repeat(64), at);
    db.prepare(
      "INSERT INTO crls (id, owner_id, marking, issuer, this_update, next_update, der, imported_at) VALUES (5, 4, 'UNCLASSIFIED', 'old', 'old', NULL, ?, ?)",
    ).run(crl, at);
    db.prepare(
      "INSERT INTO crls (id, owner_id, marking, issuer, this_update, next_update, der, imported_at) VALUES (6, 4, 'UNCLASSIFIED', 'delta', 'then', 'later', ?, ?)",
    ).run(delta, at);

    expect(migrate(db, MIGRATIONS.slice(0, 2))).toEqual([2]);
    expect(schemaVersion(db)).toBe(2);
    expect(db.prepare('SELECT * FROM trust_anchors').all()).toEqual([
      {
        id: 9,
        owner_id: 4,
        added_by: 'user:4',
        marking: 'UNCLASSIFIED',
        subject: 'CN=Root',
        sha256: 'c'.repeat(64),
        der: Buffer.from([0x30, 0x82]),
        added_at: at,
      },
    ]);
    expect(db.prepare('SELECT * FROM crls ORDER BY id').all()).toEqual([
      {
        id: 5,
        owner_id: 4,
        imported_by: 'user:4',
        marking: 'UNCLASSIFIED',
        issuer: 'CN=Migration Test CA',
        this_update: '2024-05-01T00:00:00.000Z',
        next_update: '2024-06-01T00:00:00.000Z',
        crl_number: '300',
        revoked_count: 0,
        sha256: createHash('sha256').update(crl).digest('hex'),
        der: crl,
        imported_at: at,
      },
      {
        id: 6,
        owner_id: 4,
        imported_by: 'user:4',
        marking: 'UNCLASSIFIED',
        issuer: 'delta',
        this_update: 'then',
        next_update: 'later',
        crl_number: null,
        revoked_count: 0,
        sha256: null,
        der: delta,
        imported_at: at,
      },
    ]);
    expect(db.prepare('SELECT id, display_name AS name FROM users').all()).toEqual([{ id: 4, name: 'Admin' }]);
    expect(db.prepare('SELECT key, value FROM settings').all()).toEqual([{ key: 'card.slot.card-1', value: '4' }]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });
});
