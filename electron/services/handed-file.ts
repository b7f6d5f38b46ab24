import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { ServiceCall } from './service-call';
import { ServiceError } from './service-error';

/**
 * Reads a file a host handed over (by handle) through one descriptor, so what was checked is what
 * is read: a regular file of at most `maxBytes`. Opened without blocking, so a FIFO or device put
 * in a file's place is refused instead of holding the worker.
 */
export function readHandedFile(handle: string, call: ServiceCall, maxBytes: number): { name: string; bytes: Buffer } {
  const { path, name } = call.file(handle);
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile())
      throw new ServiceError('INVALID_ARGUMENT', `${name}: not a regular file. Nothing was imported.`);
    if (stat.size > maxBytes)
      throw new ServiceError(
        'INVALID_ARGUMENT',
        `${name}: the file is larger than ${maxBytes / 1024 ** 2} MiB. Nothing was imported.`,
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
}
