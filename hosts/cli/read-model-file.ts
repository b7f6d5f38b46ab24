import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { MODEL_FILE_MAX_BYTES } from '../../common/model/model';

export type ModelFileText = { ok: true; text: string } | { ok: false; message: string };

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a plain file';
}

const tooLarge = `the file is larger than ${MODEL_FILE_MAX_BYTES / 1024 ** 2} MiB, the most a model file may be`;

/**
 * Reads a model file the user named: a regular file of at most MODEL_FILE_MAX_BYTES, nothing else.
 * The type and size are checked on the opened descriptor (no stat-then-open race), and the open does
 * not block, so a FIFO nobody writes to is refused at once instead of waiting; /dev/zero and the
 * like are refused instead of read forever. A file that grows past the cap while read is refused too.
 */
export function readModelFile(path: string): ModelFileText {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, message: 'no such file' };
    if (code === 'EACCES' || code === 'EPERM') return { ok: false, message: 'permission denied' };
    if (code === 'ENXIO') return { ok: false, message: 'not a regular file (a socket); give a model file' };
    return { ok: false, message: `cannot be opened (${code ?? 'unknown error'})` };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, message: `not a regular file (${kindOf(stat)}); give a model file` };
    if (stat.size > MODEL_FILE_MAX_BYTES) return { ok: false, message: tooLarge };
    // One byte over the size, so the end is seen in one pass; grown (to the cap) if the file grows meanwhile.
    let buffer = Buffer.alloc(stat.size + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > MODEL_FILE_MAX_BYTES) return { ok: false, message: tooLarge };
        const grown = Buffer.alloc(Math.min(2 * length, MODEL_FILE_MAX_BYTES + 1));
        buffer.copy(grown);
        buffer = grown;
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    return { ok: true, text: buffer.toString('utf8', 0, length) };
  } catch (error) {
    return { ok: false, message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})` };
  } finally {
    closeSync(fd);
  }
}
