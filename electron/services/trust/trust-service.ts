import { openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { TRUST_FILE_MAX_BYTES, type RequestOf, type ResponseOf } from '../../../common/ipc/contract';
import type { ServiceContext } from '../context';
import type { ServiceCall } from '../service-call';
import { ServiceError } from '../service-error';
import { importAnchors, importCrls, listTrust, removeAnchor, removeCrl, type TrustFile } from './trust-admin';

/**
 * Reads the files an import names by handle: regular files within TRUST_FILE_MAX_BYTES, read
 * through one descriptor (what was checked is what is read), checking for a cancel between files.
 */
function readTrustFiles(handles: string[], call: ServiceCall): TrustFile[] {
  return handles.map((handle, index) => {
    call.signal.throwIfAborted();
    const { path, name } = call.file(handle);
    call.progress(index, handles.length, `Reading ${name}`);
    const fd = openSync(path, 'r');
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile())
        throw new ServiceError('INVALID_ARGUMENT', `${name}: not a regular file. Nothing was imported.`);
      if (stat.size > TRUST_FILE_MAX_BYTES)
        throw new ServiceError(
          'INVALID_ARGUMENT',
          `${name}: the file is larger than ${TRUST_FILE_MAX_BYTES / 1024 ** 2} MiB. Nothing was imported.`,
        );
      const bytes = Buffer.alloc(stat.size);
      let read = 0;
      while (read < bytes.length) {
        const n = readSync(fd, bytes, read, bytes.length - read, read);
        if (n === 0) break;
        read += n;
      }
      return { name, bytes: bytes.subarray(0, read) };
    } finally {
      closeSync(fd);
    }
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
