import { randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { walkBag } from '../bagit/bag-files';
import { TarError } from './tar-error';
import { BLOCK, encodeHeader, paxRecord } from './tar-header';
import { partName } from './tar-parts';

export interface WriteTarOptions {
  /** Split into parts of this many bytes (the last one shorter): NAME.part-0001-of-000N. */
  partBytes?: number;
  /** Every entry's modification time, in seconds: default SOURCE_DATE_EPOCH, else 0. */
  mtime?: number;
}

interface Planned {
  path: string;
  isDir: boolean;
  size: number;
  headers: Buffer;
}

const padding = (size: number) => (BLOCK - (size % BLOCK)) % BLOCK;

/** Headers for one entry: ustar when the name fits (name, or prefix/name), else a pax header first. */
function headersFor(path: string, isDir: boolean, size: number, mtime: number): Buffer {
  const name = isDir ? `${path}/` : path;
  const common = { size, type: isDir ? '5' : '0', mode: isDir ? 0o755 : 0o644, mtime };
  const bytes = Buffer.byteLength(name);
  if (bytes <= 100) return encodeHeader({ ...common, name });
  const slash = name.lastIndexOf('/', name.length - 2);
  if (slash > 0 && Buffer.byteLength(name.slice(0, slash)) <= 155 && Buffer.byteLength(name.slice(slash + 1)) <= 100)
    return encodeHeader({ ...common, prefix: name.slice(0, slash), name: name.slice(slash + 1) });
  const records = Buffer.from(paxRecord('path', name));
  const paxHeader = encodeHeader({ name: 'PaxHeaders/entry', size: records.length, type: 'x', mode: 0o644, mtime });
  const body = Buffer.alloc(records.length + padding(records.length));
  records.copy(body);
  return Buffer.concat([paxHeader, body, encodeHeader({ ...common, name: 'PaxHeaders/long-name' })]);
}

/**
 * Writes the bag in `dir` as one deterministic tar (or its parts): entries sorted by path, mtime 0
 * (or SOURCE_DATE_EPOCH), uid/gid 0, no user or group names, mode 0644 for files and 0755 for
 * folders. Each output is written under a temporary name, fsynced and renamed into place; on
 * failure none is left. Returns the files written, in order.
 */
export async function writeBundleTar(dir: string, outFile: string, options: WriteTarOptions = {}): Promise<string[]> {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  const mtime = options.mtime ?? (Number.isSafeInteger(epoch) && epoch >= 0 ? epoch : 0);
  const inside = relative(resolve(dir), resolve(outFile));
  if (!inside.startsWith('..') && !isAbsolute(inside))
    throw new TarError('TAR_BAD_PATH', 'The tar cannot be written inside the folder it holds.', outFile);
  const walk = await walkBag(dir, Number.MAX_SAFE_INTEGER);
  if (walk.badNames[0] !== undefined)
    throw new TarError('TAR_BAD_PATH', 'A file name is not valid UTF-8.', walk.badNames[0]);
  const plan: Planned[] = [];
  for (const entry of walk.entries) {
    if (entry.kind !== 'file' && entry.kind !== 'dir')
      throw new TarError(
        entry.kind === 'symlink' ? 'TAR_LINK_ENTRY' : 'TAR_DEVICE_ENTRY',
        'Only plain files and folders go into a bundle tar.',
        entry.path,
      );
    const isDir = entry.kind === 'dir';
    plan.push({
      path: entry.path,
      isDir,
      size: entry.bytes,
      headers: headersFor(entry.path, isDir, entry.bytes, mtime),
    });
  }
  const total = plan.reduce((sum, p) => sum + p.headers.length + p.size + padding(p.size), 0) + 2 * BLOCK;
  const partBytes = options.partBytes;
  if (partBytes !== undefined && (!Number.isSafeInteger(partBytes) || partBytes < BLOCK))
    throw new RangeError(`partBytes must be a whole number of at least ${BLOCK}`);
  const count = partBytes ? Math.max(1, Math.ceil(total / partBytes)) : 1;
  const finals = partBytes
    ? Array.from({ length: count }, (_, i) => join(dirname(outFile), partName(basename(outFile), i + 1, count)))
    : [outFile];
  const temps = finals.map((f) => `${f}.${randomBytes(6).toString('hex')}.tmp`);
  const out = new PartWriter(temps, partBytes ?? Number.POSITIVE_INFINITY);
  try {
    for (const entry of plan) {
      await out.write(entry.headers);
      if (!entry.isDir) await copyFile(join(dir, entry.path), entry.size, out, entry.path);
      await out.write(Buffer.alloc(padding(entry.size)));
    }
    await out.write(Buffer.alloc(2 * BLOCK));
    await out.finish();
    for (let i = 0; i < finals.length; i++) await fs.rename(temps[i] as string, finals[i] as string);
    return finals;
  } catch (error) {
    await out.abort();
    for (const temp of temps) await fs.rm(temp, { force: true });
    throw error;
  }
}

async function copyFile(path: string, size: number, out: PartWriter, name: string): Promise<void> {
  const handle = await fs.open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  try {
    const chunk = Buffer.allocUnsafe(1024 * 1024);
    let left = size;
    while (left > 0) {
      const { bytesRead } = await handle.read(chunk, 0, Math.min(left, chunk.length), null);
      if (bytesRead === 0) break;
      await out.write(chunk.subarray(0, bytesRead));
      left -= bytesRead;
    }
    const { bytesRead: more } = await handle.read(chunk, 0, 1, null);
    if (left !== 0 || more !== 0)
      throw new TarError('TAR_SOURCE_CHANGED', 'The file changed size while the tar was written.', name);
  } finally {
    await handle.close();
  }
}

/** Writes a byte stream across part files of a fixed size, each opened exclusively and fsynced. */
class PartWriter {
  private index = -1;
  private handle: FileHandle | null = null;
  private inPart = 0;

  constructor(
    private readonly paths: readonly string[],
    private readonly partBytes: number,
  ) {}

  async write(data: Buffer): Promise<void> {
    let offset = 0;
    while (offset < data.length) {
      if (!this.handle || this.inPart === this.partBytes) await this.next();
      const n = Math.min(data.length - offset, this.partBytes - this.inPart);
      await (this.handle as FileHandle).write(data, offset, n);
      offset += n;
      this.inPart += n;
    }
  }

  private async next(): Promise<void> {
    await this.closeCurrent(true);
    this.index++;
    const path = this.paths[this.index];
    if (path === undefined) throw new Error('the tar came out longer than planned');
    this.handle = await fs.open(path, 'wx', 0o644);
    this.inPart = 0;
  }

  private async closeCurrent(sync: boolean): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    if (!handle) return;
    try {
      if (sync) await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async finish(): Promise<void> {
    await this.closeCurrent(true);
    if (this.index !== this.paths.length - 1) throw new Error('the tar came out shorter than planned');
  }

  async abort(): Promise<void> {
    await this.closeCurrent(false).catch(() => undefined);
  }
}
