import { createHash } from 'node:crypto';
import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';

/** Reading an unpacked bundle with every read bounded: a file never grows past what was checked. */

export class BagFileError extends Error {
  constructor(
    readonly code: 'FILE_MISSING' | 'NOT_A_FILE' | 'FILE_TOO_LARGE',
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** A regular file's bytes, refused when it is missing, not a plain file, or over `maxBytes`. */
export function readBounded(dir: string, path: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    const stat = lstatSync(join(dir, path));
    if (!stat.isFile()) throw new BagFileError('NOT_A_FILE', path, `${path} is not a plain file.`);
    fd = openSync(join(dir, path), 'r');
  } catch (error) {
    if (error instanceof BagFileError) throw error;
    throw new BagFileError('FILE_MISSING', path, `${path} is missing.`);
  }
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes)
      throw new BagFileError('FILE_TOO_LARGE', path, `${path} is ${size} bytes; at most ${maxBytes} are allowed.`);
    const buffer = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** SHA-512 of a file, read in pieces (a payload file may be large). */
export function sha512File(dir: string, path: string): string {
  const fd = openSync(join(dir, path), 'r');
  try {
    const hash = createHash('sha512');
    const buffer = Buffer.alloc(1024 * 1024);
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) hash.update(buffer.subarray(0, n));
    return hash.digest('hex');
  } finally {
    closeSync(fd);
  }
}

/** Every entry under `dir` (relative, `/`-separated), with its type; stops past `max` entries. */
export function listTree(dir: string, max: number): { path: string; kind: 'file' | 'dir' | 'other' }[] {
  const out: { path: string; kind: 'file' | 'dir' | 'other' }[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(dir, relative), { withFileTypes: true })) {
      if (out.length > max) return;
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      const kind = entry.isFile() ? 'file' : entry.isDirectory() ? 'dir' : 'other';
      out.push({ path, kind });
      if (kind === 'dir') walk(path);
    }
  };
  walk('');
  return out;
}

/** `<sha512>  <path>` lines of a manifest; null for a line that is not one. */
export function manifestLines(text: string): ({ hash: string; path: string } | null)[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => {
    const match = /^([0-9a-f]{128}) +(\S.*)$/.exec(line);
    return match ? { hash: match[1]!, path: match[2]! } : null;
  });
}

/** bag-info.txt as label/value pairs (RFC 8493 2.2.2); continuation lines join the value before. */
export function tagFields(text: string): [string, string][] | null {
  const fields: [string, string][] = [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    if (/^[ \t]/.test(line) && fields.length) {
      fields[fields.length - 1]![1] += ` ${line.trim()}`;
      continue;
    }
    const match = /^([^:\s][^:]*?)\s*:\s(.*)$/.exec(line);
    if (!match) return null;
    fields.push([match[1]!, match[2]!.trim()]);
  }
  return fields;
}
