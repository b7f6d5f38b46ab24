import { join } from 'node:path';
import { TufError } from './errors';
import { readBoundedFile } from './bounded-read';
import type { TufSource } from './source';

/**
 * A repository on removable media: `<root>/metadata/<file>` and `<root>/targets/<path>`. Names are
 * checked before they touch the file system (no `..`, no absolute or backslashed paths, no NUL), and no
 * symbolic link on the media is followed.
 */
export class DirectorySource implements TufSource {
  constructor(private readonly root: string) {}

  async fetchMetadata(fileName: string, maxBytes: number): Promise<Uint8Array> {
    if (fileName.includes('/')) throw new TufError('bad-metadata', `metadata file name '${fileName}' has a '/'`);
    return readBoundedFile(join(this.root, 'metadata', safeRelative(fileName)), maxBytes, fileName);
  }

  async fetchTarget(path: string, maxBytes: number): Promise<Uint8Array> {
    return readBoundedFile(join(this.root, 'targets', safeRelative(path)), maxBytes, `target '${path}'`);
  }
}

function safeRelative(path: string): string {
  const parts = path.split('/');
  if (
    path.length === 0 ||
    path.length > 4096 ||
    /[\\\0]/.test(path) ||
    parts.some((part) => part === '' || part === '.' || part === '..')
  )
    throw new TufError('bad-metadata', `'${path}' is not a safe relative path on the media`);
  return join(...parts);
}
