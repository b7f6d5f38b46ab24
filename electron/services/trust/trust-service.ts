import type { RequestOf, ResponseOf } from '../../../common/ipc/contract';
import type { ServiceContext } from '../context';
import { importAnchors, importCrls, listTrust, removeAnchor, removeCrl } from './trust-admin';

/** The trust.* channels: the router has checked trust.manage; the vault hands over the signed-in workspace. */
export function createTrustService(ctx: ServiceContext) {
  const workspace = () => ctx.vault.workspace();
  return {
    list(): ResponseOf<'trust', 'list'> {
      return listTrust(workspace());
    },
    importAnchors(request: RequestOf<'trust', 'importAnchors'>): ResponseOf<'trust', 'importAnchors'> {
      return importAnchors(workspace(), request.files);
    },
    removeAnchor(request: RequestOf<'trust', 'removeAnchor'>): ResponseOf<'trust', 'removeAnchor'> {
      return removeAnchor(workspace(), request.id);
    },
    async importCrls(request: RequestOf<'trust', 'importCrls'>): Promise<ResponseOf<'trust', 'importCrls'>> {
      return importCrls(workspace(), request.files);
    },
    removeCrl(request: RequestOf<'trust', 'removeCrl'>): ResponseOf<'trust', 'removeCrl'> {
      return removeCrl(workspace(), request.id);
    },
  };
}
