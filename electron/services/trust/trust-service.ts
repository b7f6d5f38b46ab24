import type { RequestOf, ResponseOf } from '../../../common/ipc/contract';
import type { ServiceContext } from '../context';
import { requireAdmin } from '../identity/login-enroll';
import { importAnchors, importCrls, listTrust, removeAnchor, removeCrl } from './trust-admin';

/** The trust.* channels: the router has checked trust.manage; requireAdmin hands over the open store. */
export function createTrustService(ctx: ServiceContext) {
  const admin = (action: string) => requireAdmin(ctx.login, action);
  return {
    list(): ResponseOf<'trust', 'list'> {
      return listTrust(admin('trust.list').store);
    },
    importAnchors(request: RequestOf<'trust', 'importAnchors'>): ResponseOf<'trust', 'importAnchors'> {
      const { store, user } = admin('trust.anchor.add');
      return importAnchors(store, user, request.files);
    },
    removeAnchor(request: RequestOf<'trust', 'removeAnchor'>): ResponseOf<'trust', 'removeAnchor'> {
      const { store, user } = admin('trust.anchor.remove');
      return removeAnchor(store, user, request.id);
    },
    async importCrls(request: RequestOf<'trust', 'importCrls'>): Promise<ResponseOf<'trust', 'importCrls'>> {
      const { store, user } = admin('trust.crl.import');
      return importCrls(store, user, request.files);
    },
    removeCrl(request: RequestOf<'trust', 'removeCrl'>): ResponseOf<'trust', 'removeCrl'> {
      const { store, user } = admin('trust.crl.remove');
      return removeCrl(store, user, request.id);
    },
  };
}
