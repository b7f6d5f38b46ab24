import type { RequestOf, ResponseOf } from '../../../common/ipc/contract';
import type { ServiceContext } from '../context';
import { requireAdmin } from '../identity/login-enroll';

/** The audit.* channels: the router has checked audit.read; requireAdmin hands over the open store. */
export function createAuditService(ctx: ServiceContext) {
  return {
    list(request: RequestOf<'audit', 'list'>): ResponseOf<'audit', 'list'> {
      const { store } = requireAdmin(ctx.login, 'audit.list');
      return store.audit.page(request.beforeSeq ?? null, request.limit);
    },

    verify(): ResponseOf<'audit', 'verify'> {
      const { store } = requireAdmin(ctx.login, 'audit.verify');
      const result = store.audit.verify();
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
