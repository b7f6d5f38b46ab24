import { readRegularFile } from './regular-file';
import type { ServiceCall } from './service-call';
import { ServiceError } from './service-error';

/**
 * Reads a file a host handed over (by handle): a regular file of at most `maxBytes`, through one
 * descriptor, so a FIFO or device put in a file's place is refused instead of holding the worker.
 */
export function readHandedFile(handle: string, call: ServiceCall, maxBytes: number): { name: string; bytes: Buffer } {
  const { path, name } = call.file(handle);
  const read = readRegularFile(path, maxBytes);
  if (!read.ok) throw new ServiceError('INVALID_ARGUMENT', `${name}: ${read.message}. Nothing was imported.`);
  return { name, bytes: read.bytes };
}
