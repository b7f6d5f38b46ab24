import { createHash } from 'node:crypto';
import { read } from 'node:fs';
import { promisify } from 'node:util';

const readAsync = promisify(read);
const CHUNK = 4 * 1024 * 1024;

/** SHA-512 of the first `size` bytes of an open file, read in 4 MiB chunks off the event loop. */
export async function sha512OfFile(fd: number, size: number, signal?: AbortSignal): Promise<Buffer> {
  const hash = createHash('sha512');
  const buffer = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(size, 1)));
  for (let position = 0; position < size;) {
    signal?.throwIfAborted();
    const { bytesRead } = await readAsync(fd, buffer, 0, Math.min(buffer.length, size - position), position);
    if (bytesRead === 0) throw new Error('the file became shorter while it was being read');
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
  return hash.digest();
}
