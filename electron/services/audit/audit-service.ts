import type { RequestOf, ResponseOf } from '../../../common/ipc/contract';
import type { ServiceContext } from '../context';
import type { ServiceCall } from '../service-call';
import { toCefSyslogLine, toJsonLine } from './audit-export';

/** The audit.* channels: the router has checked audit.read; the vault hands over the signed-in workspace. */
export function createAuditService(ctx: ServiceContext) {
  return {
    list(request: RequestOf<'audit', 'list'>): ResponseOf<'audit', 'list'> {
      return ctx.vault.workspace().audit.page(request.beforeSeq ?? null, request.limit);
    },

    async verify(_request: RequestOf<'audit', 'verify'>, call: ServiceCall): Promise<ResponseOf<'audit', 'verify'>> {
      const result = await ctx.vault
        .workspace()
        .audit.verifyInSteps(call.signal, (checked, total) =>
          call.progress(checked, total, `${checked} of ${total} entries checked`),
        );
      return result.ok
        ? {
            ok: true,
            entries: result.entries,
            message: `All ${result.entries} entries are intact, in order, and end where the authenticated end of the log says.`,
          }
        : {
            ok: false,
            entries: result.entries,
            message: `The audit log fails its check at entry ${result.seq}: ${result.message}.`,
          };
    },

    export(request: RequestOf<'audit', 'export'>): ResponseOf<'audit', 'export'> {
      const { audit, user } = ctx.vault.workspace();
      if (!request.after)
        audit.append({
          actor: user.actor,
          event: 'audit.export',
          outcome: 'success',
          detail: { format: request.format },
        });
      const after = request.after ?? { seq: 0, hash: '' };
      const entries = audit.entriesAfter(after.seq, Buffer.from(after.hash, 'hex'), request.limit);
      const format =
        request.format === 'jsonl' ? toJsonLine : (entry: (typeof entries)[number]) => toCefSyslogLine(entry);
      const end = entries.at(-1);
      return {
        lines: entries.map(format),
        last: end ? { seq: end.seq, hash: end.hash.toString('hex') } : (request.after ?? null),
        done: entries.length < request.limit,
      };
    },
  };
}
