import type { Database } from 'better-sqlite3-multiple-ciphers';
import { sql, sqlRows } from './sql';

/** The `audit_log` and `audit_head` tables (electron/services/audit/audit-log.ts keeps the chain). */
export interface AuditHead {
  seq: number;
  last_mac: Buffer;
  mac: Buffer;
}

const insertEntryRow = sql<[seq: number, entry: Buffer, mac: Buffer]>(
  'INSERT INTO audit_log (seq, entry, mac) VALUES (?, ?, ?)',
);
const upsertHead = sql<[seq: number, lastMac: Buffer, mac: Buffer]>(
  'INSERT INTO audit_head (id, seq, last_mac, mac) VALUES (1, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, last_mac = excluded.last_mac, mac = excluded.mac',
);
const chainEnd = sql<[], Pick<AuditHead, 'seq' | 'last_mac'>>('SELECT seq, last_mac FROM audit_head WHERE id = 1');
const head = sql<[], AuditHead>('SELECT seq, last_mac, mac FROM audit_head WHERE id = 1');
const entryCount = sql<[], { n: number }>('SELECT count(*) AS n FROM audit_log');
const entriesBefore = sqlRows<[beforeSeq: number, limit: number], [entry: Buffer]>(
  'SELECT entry FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT ?',
);
const entriesAfter = sqlRows<[afterSeq: number, limit: number], [entry: Buffer]>(
  'SELECT entry FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?',
);
const macOfEntry = sql<[seq: number], { mac: Buffer }>('SELECT mac FROM audit_log WHERE seq = ?');
const chainAfter = sqlRows<[afterSeq: number, limit: number], [seq: number, entry: Buffer, mac: Buffer]>(
  'SELECT seq, entry, mac FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?',
);

export function insertAuditEntry(db: Database, seq: number, entry: Buffer, mac: Buffer): void {
  insertEntryRow.run(db, seq, entry, mac);
}

export function setAuditHead(db: Database, seq: number, lastMac: Buffer, mac: Buffer): void {
  upsertHead.run(db, seq, lastMac, mac);
}

/** Where the chain ends now (none before the first entry). */
export function auditChainEnd(db: Database): Pick<AuditHead, 'seq' | 'last_mac'> | undefined {
  return chainEnd.get(db);
}

/** The authenticated head, with its own mac. */
export function auditHead(db: Database): AuditHead | undefined {
  return head.get(db);
}

export function countAuditEntries(db: Database): number {
  return entryCount.get(db)?.n ?? 0;
}

/** At most `limit` entries before `beforeSeq`, newest first. */
export function auditEntriesBefore(db: Database, beforeSeq: number, limit: number): [entry: Buffer][] {
  return entriesBefore.all(db, beforeSeq, limit);
}

/** At most `limit` entries after `afterSeq`, oldest first (an export page). */
export function auditEntriesAfter(db: Database, afterSeq: number, limit: number): [entry: Buffer][] {
  return entriesAfter.all(db, afterSeq, limit);
}

/** The stored authentication code of entry `seq`, or null when there is no such entry. */
export function auditMacAt(db: Database, seq: number): Buffer | null {
  return macOfEntry.get(db, seq)?.mac ?? null;
}

/**
 * Sequence number, entry and mac of at most `limit` entries after `afterSeq`, oldest first: one
 * step of the scan `audit verify` makes (read whole, so no statement stays open between steps).
 */
export function auditChainAfter(
  db: Database,
  afterSeq: number,
  limit: number,
): [seq: number, entry: Buffer, mac: Buffer][] {
  return chainAfter.all(db, afterSeq, limit);
}
