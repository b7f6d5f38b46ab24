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
 * carry no secret: actor, event, reason code, message and time, never a PIN. Refused sign-ins
 * are what it holds, so it is bounded (a PIN-guessing loop cannot fill the disk): past
 * MAX_ENTRIES the oldest are dropped, and the drop is recorded.
 */
export const MAX_ENTRIES = 1000;

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

export class AuditJournal {
  #count: number;

  constructor(private readonly path: string) {
    this.#count = existsSync(path) ? this.#lines().length : 0;
  }

  get size(): number {
    return this.#count;
  }

  /** Appends one event; when full, the file is rewritten with the newest entries only. */
  keep(event: AuditEvent): void {
    if (this.#count >= MAX_ENTRIES) this.#trim();
    appendFileSync(this.path, `${JSON.stringify(event)}\n`, { mode: 0o600, flush: true });
    this.#count += 1;
  }

  /** Everything kept, oldest first (a damaged line becomes an event that says so); the file is removed. */
  take(): AuditEvent[] {
    if (!existsSync(this.path)) return [];
    const events = this.read();
    rmSync(this.path, { force: true });
    this.#count = 0;
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

  #trim(): void {
    const lines = this.#lines();
    const keep = lines.slice(lines.length - (MAX_ENTRIES - 2));
    const dropped = lines.length - keep.length;
    const note: AuditEvent = {
      actor: 'system',
      event: 'audit.journal.dropped',
      outcome: 'failure',
      detail: { entries: dropped },
    };
    const temp = `${this.path}.tmp`;
    writeFileSync(temp, [JSON.stringify(note), ...keep].map((l) => `${l}\n`).join(''), { mode: 0o600, flush: true });
    renameSync(temp, this.path);
    this.#count = keep.length + 1;
  }
}
