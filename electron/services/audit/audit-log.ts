import type { Database } from 'better-sqlite3-multiple-ciphers';
import {
  auditChainAfter,
  auditChainEnd,
  auditEntriesAfter,
  auditEntriesBefore,
  auditHead,
  auditMacAt,
  countAuditEntries,
  insertAuditEntry,
  setAuditHead,
} from '../../db/queries/audit';
import type { AuditSealer, SealCheck } from './audit-seal';
import { hmacSha256, sha256 } from './hmac';

/**
 * The tamper-evident audit log: a keyed hash chain. Each entry is stored as canonical JSON and
 * authenticated by mac = HMAC-SHA256(audit key, previous mac || entry), so changing, removing,
 * inserting or reordering any entry breaks every mac from there on, and nobody without the audit
 * key (kept inside the encrypted database, derived from the data key at setup) can repair it. An
 * authenticated head records where the chain ends, so a log cut short is caught too.
 * Verification names the first bad entry.
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
  /** JSON text */
  detail: string;
  /** Keyless SHA-256 chain over the entries, for a SIEM to check continuity of what it received. */
  prevHash: Buffer;
  hash: Buffer;
}

export type AuditVerification =
  | { ok: true; entries: number; head: number }
  | {
      ok: false;
      entries: number;
      seq: number;
      problem: 'altered' | 'missing' | 'truncated' | 'head' | 'appended' | 'rollback';
      message: string;
    };

const GENESIS = Buffer.alloc(32);
/** Entries checked per step of a verify (a step takes a few milliseconds). */
const VERIFY_STEP = 5000;
const EVENT = /^[a-z]+(\.[a-z-]+)*$/;
/** What the log records when its seal contradicts it (audit-seal.ts): evidence kept in the chain itself. */
export const ROLLBACK_EVENT = 'audit.rollback';
const ROLLBACK_MARK = Buffer.from(`"${ROLLBACK_EVENT}"`);

/** An entry as stored: canonical JSON of its fields, in order. */
function decodeEntry(entry: Buffer): [number, string, string, string, string, AuditOutcome, string] {
  return JSON.parse(entry.toString('utf8')) as [number, string, string, string, string, AuditOutcome, string];
}

export class AuditLog {
  private readonly mac: (...parts: Buffer[]) => Buffer;

  /** `sealer`: the workstation's seal over where the log ends (none in tests of the chain alone). */
  constructor(
    private readonly db: Database,
    key: Buffer,
    private readonly sealer: AuditSealer | null = null,
  ) {
    this.mac = hmacSha256(key);
  }

  /** Seals where the log ends now, unless a transaction is still open (its commit is not yet certain). */
  sealEnd(): void {
    if (!this.sealer || this.db.inTransaction) return;
    const end = auditChainEnd(this.db);
    this.sealer.seal(end?.seq ?? 0, end?.last_mac ?? GENESIS);
  }

  /** How the log stands against the workstation's seal. */
  checkSeal(): SealCheck {
    if (!this.sealer) return { state: 'unsealed' };
    return this.sealer.check(auditChainEnd(this.db)?.seq ?? 0, (seq) => auditMacAt(this.db, seq));
  }

  /**
   * At open: a log the seal contradicts (rewritten, or an older copy put back) records that in
   * itself, where it stays for every later verify, and is sealed again from there on.
   */
  reconcileSeal(): SealCheck {
    const check = this.checkSeal();
    if (check.state === 'contradicted')
      this.append({
        actor: 'system',
        event: ROLLBACK_EVENT,
        outcome: 'failure',
        detail: { message: check.message, sealedSeq: check.sealed?.seq ?? null, sealedAt: check.sealed?.at ?? null },
      });
    else this.sealEnd();
    return check;
  }

  private headMac(seq: number, lastMac: Buffer): Buffer {
    return this.mac(Buffer.from(`head:${seq}:`), lastMac);
  }

  /** Appends events in one transaction (the caller's, if one is open). Returns the last sequence number. */
  append(...events: AuditEvent[]): number {
    let seq = 0;
    this.db.transaction(() => {
      const head = auditChainEnd(this.db);
      let prev: Buffer = head?.last_mac ?? GENESIS;
      seq = head?.seq ?? 0;
      for (const event of events) {
        if (!EVENT.test(event.event)) throw new RangeError(`bad audit event name ${event.event}`);
        seq += 1;
        const entry = Buffer.from(
          JSON.stringify([
            seq,
            new Date().toISOString(),
            event.actor,
            event.event,
            event.object ?? '',
            event.outcome,
            JSON.stringify(event.detail ?? {}),
          ]),
        );
        prev = this.mac(prev, entry);
        insertAuditEntry(this.db, seq, entry, prev);
      }
      setAuditHead(this.db, seq, prev, this.headMac(seq, prev));
    })();
    this.sealEnd();
    return seq;
  }

  count(): number {
    return countAuditEntries(this.db);
  }

  /** Every entry in order, with the keyless chain hash. */
  entries(): AuditEntry[] {
    return this.entriesAfter(0, GENESIS, Number.MAX_SAFE_INTEGER);
  }

  /**
   * At most `limit` entries after entry `afterSeq` (0: from the start), chained on from `prevHash`,
   * that entry's keyless chain hash: one page of an export.
   */
  entriesAfter(afterSeq: number, prevHash: Buffer, limit: number): AuditEntry[] {
    return [...chained(auditEntriesAfter(this.db, afterSeq, limit), afterSeq === 0 ? GENESIS : prevHash)];
  }

  /** One page, newest first: entries before `beforeSeq` (all when null), at most `limit`. */
  page(beforeSeq: number | null, limit: number): { entries: Omit<AuditEntry, 'prevHash' | 'hash'>[]; total: number } {
    const rows = auditEntriesBefore(this.db, beforeSeq ?? Number.MAX_SAFE_INTEGER, limit);
    const entries = rows.map(([entry]) => {
      const [seq, at, actor, event, object, outcome, detail] = decodeEntry(entry);
      return { seq, at, actor, event, object, outcome, detail };
    });
    return { entries, total: countAuditEntries(this.db) };
  }

  verify(): AuditVerification {
    const steps = this.#verifySteps();
    for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
  }

  /**
   * The same check in steps that give the worker back between them: `progress` hears how many
   * entries are checked, and an aborted `signal` stops it (CANCELLED by the router).
   */
  async verifyInSteps(
    signal: AbortSignal,
    progress: (checked: number, total: number) => void,
  ): Promise<AuditVerification> {
    const total = countAuditEntries(this.db);
    const steps = this.#verifySteps();
    for (let step = steps.next(); ; step = steps.next()) {
      if (step.done) return step.value;
      progress(step.value, total);
      await new Promise((resolve) => setImmediate(resolve));
      signal.throwIfAborted();
    }
  }

  /** Yields the number of entries checked after each step of VERIFY_STEP; returns the verdict. */
  *#verifySteps(): Generator<number, AuditVerification> {
    let expected = 1;
    let prev: Buffer = GENESIS;
    let count = 0;
    let rollback: { seq: number; entry: Buffer } | null = null;
    const fail = (
      seq: number,
      problem: Extract<AuditVerification, { ok: false }>['problem'],
      message: string,
    ): AuditVerification => ({ ok: false, entries: count, seq, problem, message });
    // Raw rows of three values keep a million-entry scan within seconds.
    for (let after = 0, rows = auditChainAfter(this.db, 0, VERIFY_STEP); rows.length > 0;) {
      for (const [seq, entry, mac] of rows) {
        count += 1;
        if (seq !== expected) {
          return fail(
            expected,
            'missing',
            expected === 1
              ? `entry 1 is missing (the log starts at entry ${seq})`
              : `entry ${expected} is missing (entry ${expected - 1} is followed by entry ${seq})`,
          );
        }
        prev = this.mac(prev, entry);
        if (!prev.equals(mac) || entry.toString('latin1', 0, 12).split(',', 1)[0] !== `[${seq}`) {
          return fail(
            seq,
            'altered',
            `entry ${seq} does not match its authentication code: it was altered, or entries before it were inserted, removed or reordered`,
          );
        }
        if (rollback === null && entry.includes(ROLLBACK_MARK)) rollback = { seq, entry };
        expected += 1;
        after = seq;
      }
      if (rows.length < VERIFY_STEP) break;
      yield count;
      rows = auditChainAfter(this.db, after, VERIFY_STEP);
    }
    const last = expected - 1;
    const head = auditHead(this.db);
    if (!head)
      return last === 0
        ? { ok: true, entries: 0, head: 0 }
        : fail(last, 'head', 'the authenticated end of the log is missing');
    if (!this.headMac(head.seq, head.last_mac).equals(head.mac))
      return fail(head.seq, 'head', 'the authenticated end of the log was altered');
    if (head.seq > last)
      return fail(
        last + 1,
        'truncated',
        `entries ${last + 1} to ${head.seq} were removed from the end of the log (it ends at entry ${last})`,
      );
    if (head.seq < last || !head.last_mac.equals(prev))
      return fail(head.seq + 1, 'appended', `entries after ${head.seq} were added without the audit key`);
    const seal = this.checkSeal();
    if (seal.state === 'contradicted') return fail(head.seq, 'rollback', seal.message);
    if (rollback) {
      const [, at, , , , , detail] = decodeEntry(rollback.entry);
      const { message } = JSON.parse(detail) as { message?: string };
      return fail(
        rollback.seq,
        'rollback',
        `on ${at} this workstation found that ${message ?? 'the log was rolled back'}`,
      );
    }
    return { ok: true, entries: count, head: head.seq };
  }
}

/** Decodes stored entries and chains their keyless hashes on from `prev`. */
function* chained(rows: Iterable<[entry: Buffer]>, prev: Buffer): Generator<AuditEntry> {
  for (const [entry] of rows) {
    const [seq, at, actor, event, object, outcome, detail] = decodeEntry(entry);
    const hash = sha256(Buffer.concat([prev, entry]));
    yield { seq, at, actor, event, object, outcome, detail, prevHash: prev, hash };
    prev = hash;
  }
}
