import { appendFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import type { AuditEvent } from './audit-log';

/**
 * Audit events that happen while the store is locked (refused logins, denied calls) cannot go into
 * the encrypted, hash-chained log yet. They are kept here, in `<db>.audit-pending.jsonl` beside
 * the database, one JSON line each and flushed to disk at once, so closing the app does not lose
 * them. The next sign-in moves them into the audit log and removes the file.
 *
 * The file is not protected: whoever can write the data directory can change it. The entries
 * carry no secret: actor, event, reason code, message and time, never a PIN. It is bounded, so a
 * loop of calls cannot fill the disk, in two parts: failed sign-ins (`login.failure`, already few:
 * the card locks its PIN, recovery-secret attempts are rate-limited) and everything else (denied
 * calls). Past its limit a part drops its own oldest entries, so a flood of denied calls never
 * pushes out the evidence of a failed PIN or recovery secret. One `audit.journal.dropped` entry,
 * first in the file, counts all that was dropped since the journal was last taken.
 */
export const MAX_ENTRIES = 1000;
export const MAX_LOGIN_FAILURES = 1000;

const DROPPED = 'audit.journal.dropped';

const EntrySchema = z
  .object({
    actor: z.string().max(256),
    event: z.string().max(64),
    object: z.string().max(256).optional(),
    outcome: z.enum(['success', 'failure', 'denied']),
    detail: z.record(z.string(), z.union([z.string().max(4096), z.number(), z.boolean(), z.null()])).optional(),
  })
  .strict();

export const journalPath = (dbPath: string) => `${dbPath}.audit-pending.jsonl`;

type Part = 'loginFailures' | 'others';

/** Which part a stored line belongs to; the drop note is neither. A damaged line counts with the others. */
function partOf(line: string): Part | 'note' {
  try {
    const entry = JSON.parse(line) as { event?: unknown; actor?: unknown };
    if (entry.event === DROPPED && entry.actor === 'system') return 'note';
    return entry.event === 'login.failure' ? 'loginFailures' : 'others';
  } catch {
    return 'others';
  }
}

const LIMITS: Record<Part, number> = { loginFailures: MAX_LOGIN_FAILURES, others: MAX_ENTRIES };

/** The counts of the drop note, if the line is one. */
function droppedSoFar(line: string | undefined): Record<Part, number> {
  const counts = { loginFailures: 0, others: 0 };
  if (line === undefined || partOf(line) !== 'note') return counts;
  const detail = (JSON.parse(line) as { detail?: Record<string, unknown> }).detail ?? {};
  const count = (value: unknown) => (typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0);
  return { others: count(detail.entries), loginFailures: count(detail.loginFailures) };
}

export class AuditJournal {
  #count: Record<Part, number> = { loginFailures: 0, others: 0 };

  constructor(private readonly path: string) {
    if (existsSync(path)) for (const line of this.#lines()) this.#countLine(line);
  }

  get size(): number {
    return this.#count.loginFailures + this.#count.others;
  }

  /** Appends one event; when its part is full, that part's oldest entry goes first (and is counted). */
  keep(event: AuditEvent): void {
    const line = JSON.stringify(event);
    const part = partOf(line) === 'loginFailures' ? 'loginFailures' : 'others';
    if (this.#count[part] >= LIMITS[part]) this.#dropOldest(part);
    appendFileSync(this.path, `${line}\n`, { mode: 0o600, flush: true });
    this.#count[part] += 1;
  }

  /** Everything kept, oldest first (a damaged line becomes an event that says so); the file is removed. */
  take(): AuditEvent[] {
    if (!existsSync(this.path)) return [];
    const events = this.read();
    rmSync(this.path, { force: true });
    this.#count = { loginFailures: 0, others: 0 };
    return events;
  }
  read(): AuditEvent[] {
    if (!existsSync(this.path)) return [];
    let damaged = 0;
    const events: AuditEvent[] = [];
    for (const line of this.#lines()) {
      try {
        events.push(EntrySchema.parse(JSON.parse(line)) as AuditEvent);
      } catch {
        damaged += 1;
      }
    }
    if (damaged > 0)
      events.push({
        actor: 'system',
        event: 'audit.journal.damaged',
        outcome: 'failure',
        detail: { lines: damaged, file: 'audit-pending' },
      });
    return events;
  }

  #lines(): string[] {
    return readFileSync(this.path, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
  }

  #countLine(line: string): void {
    const part = partOf(line);
    if (part !== 'note') this.#count[part] += 1;
  }

  /** Rewrites the file without the part's oldest entry, the drop note first with the running counts. */
  #dropOldest(part: Part): void {
    const lines = this.#lines();
    const dropped = droppedSoFar(lines[0]);
    const entries = partOf(lines[0] ?? '') === 'note' ? lines.slice(1) : lines;
    const oldest = entries.findIndex((line) => partOf(line) === part);
    if (oldest >= 0) {
      entries.splice(oldest, 1);
      dropped[part] += 1;
    }
    const note: AuditEvent = {
      actor: 'system',
      event: DROPPED,
      outcome: 'failure',
      detail: { entries: dropped.others, loginFailures: dropped.loginFailures },
    };
    const temp = `${this.path}.tmp`;
    writeFileSync(temp, [JSON.stringify(note), ...entries].map((l) => `${l}\n`).join(''), { mode: 0o600, flush: true });
    renameSync(temp, this.path);
    this.#count = { loginFailures: 0, others: 0 };
    for (const line of entries) this.#countLine(line);
  }
}
