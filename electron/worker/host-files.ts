import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { MAX_FILE_BYTES, type FilePurpose } from '../../common/ipc/files';
import type { HostFile } from './service-host';

/** The dialog's title and filters for each purpose. */
export const FILE_PURPOSE_DIALOG: Record<FilePurpose, { title: string; extensions: string[]; label: string }> = {
  'trust-anchors': {
    title: 'Choose CA certificates',
    label: 'Certificates',
    extensions: ['pem', 'crt', 'cer', 'der', 'p7b', 'p7c'],
  },
  crls: { title: 'Choose CRLs', label: 'Certificate revocation lists', extensions: ['crl', 'pem', 'der'] },
  models: { title: 'Choose model files', label: 'Enclave models (enclave-model/1)', extensions: ['json'] },
  bundles: { title: 'Choose a bundle (its tar, or all its parts)', label: 'Enclave bundles', extensions: ['tar', '*'] },
  updates: {
    title: 'Choose an update bundle (enclave-update.tar), or the update root (root.json)',
    label: 'Enclave update bundles and roots',
    extensions: ['tar', 'json'],
  },
};

/**
 * A file the user picked in a dialog, as the services may take it: a regular file (not a FIFO or
 * a device, which would never end) within MAX_FILE_BYTES. Throws with a sentence the user can act on.
 */
export function pickedFile(path: string): HostFile {
  const name = basename(path);
  const stat = statSync(path);
  if (!stat.isFile()) throw new Error(`${name} is not a regular file.`);
  if (stat.size > MAX_FILE_BYTES) throw new Error(`${name} is larger than ${MAX_FILE_BYTES / 1024 ** 3} GiB.`);
  return { path, name, size: stat.size, temporary: false };
}
