import { TRUST_FILE_MAX_BYTES, type RequestOf, type ResponseOf } from '../../../common/ipc/contract';
import type { ServiceContext } from '../context';
import { readHandedFile } from '../handed-file';
import type { ServiceCall } from '../service-call';
import { importAnchors, importCrls, listTrust, removeAnchor, removeCrl, type TrustFile } from './trust-admin';

/**
 * Reads the files an import names by handle: regular files within TRUST_FILE_MAX_BYTES, read
 * through one descriptor (what was checked is what is read), checking for a cancel between files.
 */
function readTrustFiles(handles: string[], call: ServiceCall): TrustFile[] {
  return handles.map((handle, index) => {
    call.signal.throwIfAborted();
    call.progress(index, handles.length, `Reading ${call.file(handle).name}`);
    return readHandedFile(handle, call, TRUST_FILE_MAX_BYTES);
  });
}

/** The trust.* channels: the router has checked trust.manage; the vault hands over the signed-in workspace. */
export function createTrustService(ctx: ServiceContext) {
  const workspace = () => ctx.vault.workspace();
  return {
    list(): ResponseOf<'trust', 'list'> {
      return listTrust(workspace());
    },
    importAnchors(
      request: RequestOf<'trust', 'importAnchors'>,
      call: ServiceCall,
    ): ResponseOf<'trust', 'importAnchors'> {
      return importAnchors(workspace(), readTrustFiles(request.files, call));
    },
    removeAnchor(request: RequestOf<'trust', 'removeAnchor'>): ResponseOf<'trust', 'removeAnchor'> {
      return removeAnchor(workspace(), request.id);
    },
    async importCrls(
      request: RequestOf<'trust', 'importCrls'>,
      call: ServiceCall,
    ): Promise<ResponseOf<'trust', 'importCrls'>> {
      return importCrls(workspace(), readTrustFiles(request.files, call));
    },
    removeCrl(request: RequestOf<'trust', 'removeCrl'>): ResponseOf<'trust', 'removeCrl'> {
      return removeCrl(workspace(), request.id);
    },
  };
}
