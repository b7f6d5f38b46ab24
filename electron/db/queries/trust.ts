import type { Database } from 'better-sqlite3-multiple-ciphers';
import { sql, sqlRows } from './sql';

/** The `trust_anchors` and `crls` tables: CA certificates and CRLs the administrator imported. */
export interface AnchorRow {
  id: number;
  der: Buffer;
  addedAt: string;
  addedBy: string;
}

/** What the admin page lists for a CRL: the columns kept at import (a CRL's DER can run to tens of megabytes). */
export interface CrlRow {
  id: number;
  issuer: string;
  thisUpdate: string;
  nextUpdate: string | null;
  revokedCount: number;
  importedAt: string;
  importedBy: string;
}

/** What an import compares a new CRL with. */
export interface HeldCrl {
  id: number;
  issuer: string;
  thisUpdate: string;
  crlNumber: string | null;
  sha256: string | null;
  /** Read at import only, to tell a delta or a distribution point's CRL from the complete one. */
  der: Buffer;
}

export interface NewAnchor {
  ownerId: number | null;
  addedBy: string;
  marking: string;
  subject: string;
  sha256: string;
  der: Buffer;
  addedAt: string;
}

export interface NewCrl {
  ownerId: number | null;
  importedBy: string;
  marking: string;
  issuer: string;
  thisUpdate: string;
  nextUpdate: string | null;
  crlNumber: string | null;
  revokedCount: number;
  sha256: string;
  der: Buffer;
  importedAt: string;
}

const anchorDers = sqlRows<[], [der: Buffer]>('SELECT der FROM trust_anchors ORDER BY id');
const crlDers = sqlRows<[], [der: Buffer]>('SELECT der FROM crls ORDER BY id');
const anchorList = sql<[], AnchorRow>(
  'SELECT id, der, added_at AS addedAt, added_by AS addedBy FROM trust_anchors ORDER BY id',
);
const crlList = sql<[], CrlRow>(
  'SELECT id, issuer, this_update AS thisUpdate, next_update AS nextUpdate, revoked_count AS revokedCount, imported_at AS importedAt, imported_by AS importedBy FROM crls ORDER BY id',
);
const anchorBySha256 = sql<[sha256: string], { 1: number }>('SELECT 1 FROM trust_anchors WHERE sha256 = ?');
const insertAnchorRow = sql<
  [
    ownerId: number | null,
    addedBy: string,
    marking: string,
    subject: string,
    sha256: string,
    der: Buffer,
    addedAt: string,
  ]
>(
  'INSERT INTO trust_anchors (owner_id, added_by, marking, subject, sha256, der, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
);
const anchorById = sql<[id: number], { subject: string; sha256: string }>(
  'SELECT subject, sha256 FROM trust_anchors WHERE id = ?',
);
const deleteAnchorRow = sql<[id: number]>('DELETE FROM trust_anchors WHERE id = ?');
const anchorCount = sql<[], { n: number }>('SELECT count(*) AS n FROM trust_anchors');
const heldCrlRows = sql<[], HeldCrl>(
  'SELECT id, issuer, this_update AS thisUpdate, crl_number AS crlNumber, sha256, der FROM crls',
);
const insertCrlRow = sql<
  [
    ownerId: number | null,
    importedBy: string,
    marking: string,
    issuer: string,
    thisUpdate: string,
    nextUpdate: string | null,
    crlNumber: string | null,
    revokedCount: number,
    sha256: string,
    der: Buffer,
    importedAt: string,
  ]
>(
  'INSERT INTO crls (owner_id, imported_by, marking, issuer, this_update, next_update, crl_number, revoked_count, sha256, der, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
);
const crlById = sql<[id: number], { issuer: string; thisUpdate: string }>(
  'SELECT issuer, this_update AS thisUpdate FROM crls WHERE id = ?',
);
const deleteCrlRow = sql<[id: number]>('DELETE FROM crls WHERE id = ?');

/** Every CA certificate's DER, in import order. */
export function trustAnchorDers(db: Database): Buffer[] {
  return anchorDers.all(db).map(([der]) => der);
}

/** Every CRL's DER, in import order. */
export function trustCrlDers(db: Database): Buffer[] {
  return crlDers.all(db).map(([der]) => der);
}

export function listAnchors(db: Database): AnchorRow[] {
  return anchorList.all(db);
}

export function listCrls(db: Database): CrlRow[] {
  return crlList.all(db);
}

export function anchorExists(db: Database, sha256: string): boolean {
  return anchorBySha256.get(db, sha256) !== undefined;
}

export function insertAnchor(db: Database, a: NewAnchor): void {
  insertAnchorRow.run(db, a.ownerId, a.addedBy, a.marking, a.subject, a.sha256, a.der, a.addedAt);
}

export function findAnchor(db: Database, id: number): { subject: string; sha256: string } | null {
  return anchorById.get(db, id) ?? null;
}

export function deleteAnchor(db: Database, id: number): void {
  deleteAnchorRow.run(db, id);
}

export function countAnchors(db: Database): number {
  return anchorCount.get(db)?.n ?? 0;
}

export function heldCrls(db: Database): HeldCrl[] {
  return heldCrlRows.all(db);
}

/** Returns the new CRL's id. */
export function insertCrl(db: Database, c: NewCrl): number {
  return Number(
    insertCrlRow.run(
      db,
      c.ownerId,
      c.importedBy,
      c.marking,
      c.issuer,
      c.thisUpdate,
      c.nextUpdate,
      c.crlNumber,
      c.revokedCount,
      c.sha256,
      c.der,
      c.importedAt,
    ).lastInsertRowid,
  );
}

export function findCrl(db: Database, id: number): { issuer: string; thisUpdate: string } | null {
  return crlById.get(db, id) ?? null;
}

export function deleteCrl(db: Database, id: number): void {
  deleteCrlRow.run(db, id);
}
