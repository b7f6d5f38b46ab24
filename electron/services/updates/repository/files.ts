import { closeSync, constants, fstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { writeFileAtomically } from '../tuf/directory-store';
import { RepositoryError } from './errors';

/**
 * File handling of the officers' repository and the media: every file the owner's alone (0600, dirs
 * 0700), written whole under a temporary name and renamed into place, so a crash or a full disk leaves
 * the old file or the new one, never half of one; every read bounded.
 */
export function ensureDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
}

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  ensureDir(dirname(path));
  writeFileAtomically(dirname(path), basename(path), typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
}

/** A regular file of at most `maxBytes`, read whole; links are not followed. `what` names it in errors. */
export function readBounded(path: string, maxBytes: number, what: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new RepositoryError(
      'usage',
      code === 'ENOENT' ? `${what} ${path} does not exist.` : `${what} ${path} cannot be read (${code ?? 'error'}).`,
    );
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new RepositoryError('usage', `${what} ${path} is not a regular file.`);
    if (stat.size > maxBytes)
      throw new RepositoryError('usage', `${what} ${path} is ${stat.size} bytes, over its ${maxBytes}-byte limit.`);
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** JSON from a bounded file; a parse failure names the file. */
export function readJsonFile(path: string, maxBytes: number, what: string): unknown {
  const bytes = readBounded(path, maxBytes, what);
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new RepositoryError('usage', `${what} ${path} is not JSON: ${(error as Error).message}`);
  }
}
