import { closeSync, fstatSync, lstatSync, openSync, readSync, constants } from 'node:fs';
import { TufError, TufNotFound } from './errors';

/**
 * Reads a regular file of at most `maxBytes`, never through a symbolic link (lstat, then O_NOFOLLOW
 * where the platform has it), and never more than `maxBytes + 1` bytes even if it grows meanwhile.
 */
export function readBoundedFile(path: string, maxBytes: number, label: string): Uint8Array {
  let stat;
  try {
    stat = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new TufNotFound(label);
    throw error;
  }
  if (stat.isSymbolicLink()) throw new TufError('bad-metadata', `${label} is a symbolic link, which is not followed`);
  if (!stat.isFile()) throw new TufError('bad-metadata', `${label} is not a regular file`);
  if (stat.size > maxBytes)
    throw new TufError('too-large', `${label} is ${stat.size} bytes, over its ${maxBytes}-byte limit`);
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  try {
    if (!fstatSync(fd).isFile()) throw new TufError('bad-metadata', `${label} is not a regular file`);
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > maxBytes) throw new TufError('too-large', `${label} grew over its ${maxBytes}-byte limit`);
    return new Uint8Array(buffer.subarray(0, length));
  } finally {
    closeSync(fd);
  }
}
