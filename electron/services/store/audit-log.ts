import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';

/**
 * The tamper-evident audit log. Each entry's hash covers its content and the previous entry's
 * hash (a chain); each hash is authenticated with an HMAC under the audit key (kept inside the
 * encrypted database, derived from the data key at setup); the authenticated head records where
 * the chain ends. Verification names the first entry that was edited, deleted, reordered,
 * inserted, or cut off.
 */
export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditEvent {
  actor: string;
  /** e.g. setup, login, login.failure, lock, object.save, object.delete, export, import, role.change, keyslot.add */
  event: string;
  object?: string;
  outcome: AuditOutcome;
  detail?: Record<string, string | number | boolean | null>;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  event: string;
  object: string;
  outcome: AuditOutcome;
  detail: string;
  prevHash: Buffer;
  hash: Buffer;
  mac: Buffer;
}

export type AuditVerification =
  | { ok: true; entries: number; head: number }
  | { ok: false; entries: number; seq: number; problem: 'altered' | 'missing' | 'out-of-order' | 'unauthenticated' | 'truncated' | 'head'; message: string };

const GENESIS = Buffer.alloc(32);
const EVENT = /^[a-z]+(\.[a-z-]+)*$/;

interface Row {
  seq: number;
  at: string;
  actor: string;
  event: string;
  object: string;
  outcome: AuditOutcome;
  detail: string;
  prev_hash: Buffer;
  hash: Buffer;
  mac: Buffer;
}

function entryHash(prev: Buffer, row: Pick<Row, 'seq' | 'at' | 'actor' | 'event' | 'object' | 'outcome' | 'detail'>): Buffer {
  const canonical = JSON.stringify([row.seq, row.at, row.actor, row.event, row.object, row.outcome, row.detail]);
  return createHash('sha256').update(prev).update(canonical).digest();
}

export class AuditLog {
  private readonly insert: Statement;
  private readonly setHead: Statement;
  private readonly last: Statement;

  constructor(
    private readonly db: Database,
    private readonly key: Buffer,
  ) {
    this.insert = db.prepare('INSERT INTO audit_log (seq, at, actor, event, object, outcome, detail, prev_hash, hash, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.setHead = db.prepare('INSERT INTO audit_head (id, seq, hash, mac) VALUES (1, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, mac = excluded.mac');
    this.last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  }

  private mac(data: Buffer): Buffer {
    return createHmac('sha256', this.key).update(data).digest();
  }

  private headMac(seq: number, hash: Buffer): Buffer {
    return this.mac(Buffer.concat([Buffer.from(`head:${seq}:`), hash]));
  }

  /** Appends events in one transaction (the caller's, if one is open). */
  append(...events: AuditEvent[]): number {
    let seq = 0;
    this.db.transaction(() => {
      const tail = this.last.get() as { seq: number; hash: Buffer } | undefined;
      let prev: Buffer = tail?.hash ?? GENESIS;
      seq = tail?.seq ?? 0;
      for (const event of events) {
        if (!EVENT.test(event.event)) throw new RangeError(`bad audit event name ${event.event}`);
        seq += 1;
        const row = {
          seq,
          at: new Date().toISOString(),
          actor: event.actor,
          event: event.event,
          object: event.object ?? '',
          outcome: event.outcome,
          detail: JSON.stringify(event.detail ?? {}),
        };
        const hash = entryHash(prev, row);
        this.insert.run(row.seq, row.at, row.actor, row.event, row.object, row.outcome, row.detail, prev, hash, this.mac(hash));
        prev = hash;
      }
      this.setHead.run(seq, prev, this.headMac(seq, prev));
    })();
    return seq;
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
  }

  *entries(): Generator<AuditEntry> {
    for (const row of this.db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<Row>) {
      yield { seq: row.seq, at: row.at, actor: row.actor, event: row.event, object: row.object, outcome: row.outcome, detail: row.detail, prevHash: row.prev_hash, hash: row.hash, mac: row.mac };
    }
  }

  verify(): AuditVerification {
    let expected = 1;
    let prev: Buffer = GENESIS;
    let count = 0;
    const fail = (seq: number, problem: Extract<AuditVerification, { ok: false }>['problem'], message: string): AuditVerification => ({ ok: false, entries: count, seq, problem, message });
    for (const row of this.db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<Row>) {
      count += 1;
      if (row.seq !== expected) {
        return fail(expected, 'missing', expected === 1 ? `entry 1 is missing (the log starts at entry ${row.seq})` : `entry ${expected} is missing (entry ${expected - 1} is followed by entry ${row.seq})`);
      }
      if (!timingSafeEqual(entryHash(row.prev_hash, row), row.hash)) return fail(row.seq, 'altered', `entry ${row.seq} was altered: its content does not match its hash`);
      if (!timingSafeEqual(this.mac(row.hash), row.mac)) return fail(row.seq, 'unauthenticated', `entry ${row.seq} is not authenticated: it was inserted or rewritten without the audit key`);
      if (!timingSafeEqual(row.prev_hash, prev)) {
        return fail(row.seq, 'out-of-order', `entry ${row.seq} does not follow entry ${row.seq - 1}: entries were reordered, inserted or removed`);
      }
      prev = row.hash;
      expected += 1;
    }
    const last = expected - 1;
    const head = this.db.prepare('SELECT seq, hash, mac FROM audit_head WHERE id = 1').get() as { seq: number; hash: Buffer; mac: Buffer } | undefined;
    if (!head) return last === 0 ? { ok: true, entries: 0, head: 0 } : fail(last, 'head', 'the authenticated end of the log is missing');
    if (!timingSafeEqual(this.headMac(head.seq, head.hash), head.mac)) return fail(head.seq, 'head', 'the authenticated end of the log was altered');
    if (head.seq > last) return fail(last + 1, 'truncated', `entries ${last + 1} to ${head.seq} were removed from the end of the log (it ends at entry ${last})`);
    if (head.seq < last || !timingSafeEqual(head.hash, prev)) return fail(head.seq + 1, 'unauthenticated', `entries after ${head.seq} were added without the audit key`);
    return { ok: true, entries: count, head: head.seq };
  }
}
