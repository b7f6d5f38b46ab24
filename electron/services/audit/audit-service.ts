import type { RequestOf, ResponseOf } from '../../../common/ipc/contract';
import type { ServiceContext } from '../context';

/** The audit.* channels: the router has checked audit.read; the vault hands over the signed-in workspace. */
export function createAuditService(ctx: ServiceContext) {
  return {
    list(request: RequestOf<'audit', 'list'>): ResponseOf<'audit', 'list'> {
      return ctx.vault.workspace().audit.page(request.beforeSeq ?? null, request.limit);
    },

    verify(): ResponseOf<'audit', 'verify'> {
      const result = ctx.vault.workspace().audit.verify();
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
  };
}
