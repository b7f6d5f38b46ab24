import { z } from 'zod';
import { NoArguments, Sha256Hex, type ChannelGroup } from '../channel';

export const AuditEntrySchema = z
  .object({
    seq: z.number().int().positive(),
    at: z.string().max(64),
    actor: z.string().max(256),
    event: z.string().max(64),
    object: z.string().max(1024),
    outcome: z.enum(['success', 'failure', 'denied']),
    /** The entry's detail as recorded (JSON text). */
    detail: z.string().max(16_384),
  })
  .strict();

/** The most lines one audit.export page carries. */
export const AUDIT_EXPORT_PAGE = 2000;

/** Where an export page ended: an entry's number and its keyless chain hash (the next page chains on). */
const ExportCursor = z.object({ seq: z.number().int().positive(), hash: Sha256Hex }).strict();

/** audit.*: the administrator's view of the tamper-evident audit log (docs/store.md). */
export const auditChannels = {
  /** Admin: one page of the audit log, newest first (before `beforeSeq` when given). */
  list: {
    request: z
      .object({ beforeSeq: z.number().int().positive().optional(), limit: z.number().int().min(1).max(500) })
      .strict(),
    response: z.object({ entries: z.array(AuditEntrySchema).max(500), total: z.number().int().nonnegative() }).strict(),
    requiresConsent: true,
    access: 'audit.read',
  },
  /** Admin: checks the whole chain and its authenticated end (what `enclave audit verify` does). */
  verify: {
    request: NoArguments,
    response: z
      .object({ ok: z.boolean(), entries: z.number().int().nonnegative(), message: z.string().max(1024) })
      .strict(),
    requiresConsent: true,
    access: 'audit.read',
  },
  /**
   * Admin: the log for a SIEM, oldest first, one page of lines (JSON lines or CEF in syslog lines)
   * after the entry `after` names (the previous page's `last`). The first page (no `after`)
   * records the export in the log itself.
   */
  export: {
    request: z
      .object({
        format: z.enum(['jsonl', 'cef']),
        after: ExportCursor.optional(),
        limit: z.number().int().min(1).max(AUDIT_EXPORT_PAGE),
      })
      .strict(),
    response: z
      .object({
        lines: z.array(z.string().max(65_536)).max(AUDIT_EXPORT_PAGE),
        last: ExportCursor.nullable(),
        done: z.boolean(),
      })
      .strict(),
    requiresConsent: true,
    access: 'audit.read',
  },
} as const satisfies ChannelGroup;
