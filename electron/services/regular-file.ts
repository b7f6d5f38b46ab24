import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** Why a file was not read: not a regular file, over the cap, or the system refused it. */
export type RegularFileRead =
  { ok: true; bytes: Buffer } | { ok: false; problem: 'not-regular' | 'too-large' | 'unreadable'; message: string };

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a plain file';
}

/**
 * Reads a regular file of at most `maxBytes`, nothing else: what the CLI reads from a path the user
 * named and what a service reads from a file a host handed over. Type and size are checked on the
 * opened descriptor (no stat-then-open race), and the open does not block, so a FIFO nobody writes
 * to is refused at once and /dev/zero is refused instead of read forever. A file that grows past
 * the cap while it is read is refused too.
 */
export function readRegularFile(path: string, maxBytes: number): RegularFileRead {
  const tooLarge = {
    ok: false,
    problem: 'too-large',
    message: `the file is larger than ${maxBytes / 1024 ** 2} MiB`,
  } as const;
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENXIO') return { ok: false, problem: 'not-regular', message: 'not a regular file (a socket)' };
    const message =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : `cannot be opened (${code ?? 'unknown error'})`;
    return { ok: false, problem: 'unreadable', message };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, problem: 'not-regular', message: `not a regular file (${kindOf(stat)})` };
    if (stat.size > maxBytes) return tooLarge;
    // One byte over the size, so the end is seen in one pass; grown (to the cap) if the file grows meanwhile.
    let buffer = Buffer.alloc(stat.size + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) return tooLarge;
        const grown = Buffer.alloc(Math.min(2 * length, maxBytes + 1));
        buffer.copy(grown);
        buffer = grown;
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    return { ok: true, bytes: buffer.subarray(0, length) };
  } catch (error) {
    return {
      ok: false,
      problem: 'unreadable',
      message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`,
    };
  } finally {
    closeSync(fd);
  }
}
