import { createHash, type Hash } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import { join } from 'node:path';

/** One thing under the bag's root, as lstat sees it: links are never followed. */
export interface BagEntry {
  path: string;
  kind: 'file' | 'dir' | 'symlink' | 'other';
  bytes: number;
  links: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Every entry under root, depth first, bag-relative with `/`. Stops after maxEntries (truncated:
 * true) so a directory of a million files costs a bounded walk. Names that are not valid UTF-8
 * cannot be listed in a manifest: they come back in `badNames` (shown with U+FFFD) and are skipped.
 */
export async function walkBag(
  root: string,
  maxEntries: number,
): Promise<{ entries: BagEntry[]; truncated: boolean; badNames: string[] }> {
  const entries: BagEntry[] = [];
  const badNames: string[] = [];
  const pending: string[] = [''];
  while (pending.length > 0) {
    const relative = pending.pop() as string;
    const dir = await fs.opendir(join(root, relative), { encoding: 'buffer' as BufferEncoding });
    for await (const dirent of dir) {
      const raw = dirent.name as unknown as Buffer;
      let name: string;
      try {
        name = utf8.decode(raw);
      } catch {
        badNames.push(relative === '' ? raw.toString('utf8') : `${relative}/${raw.toString('utf8')}`);
        continue;
      }
      const path = relative === '' ? name : `${relative}/${name}`;
      // Leaving the for-await closes the directory handle.
      if (entries.length + badNames.length >= maxEntries) return { entries, truncated: true, badNames };
      const stat = await fs.lstat(join(root, path));
      const kind = stat.isFile() ? 'file' : stat.isDirectory() ? 'dir' : stat.isSymbolicLink() ? 'symlink' : 'other';
      entries.push({ path, kind, bytes: kind === 'file' ? stat.size : 0, links: stat.nlink });
      if (kind === 'dir') pending.push(path);
    }
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { entries, truncated: false, badNames };
}

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/** Reads a small file whole, refusing a link and anything over maxBytes. */
export async function readSmallFile(path: string, maxBytes: number): Promise<Buffer> {
  const handle = await fs.open(path, constants.O_RDONLY | NOFOLLOW);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new Error('not a regular file');
    if (stat.size > maxBytes) throw new RangeError(`${stat.size} bytes, more than the limit of ${maxBytes}`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Hex digests of one file for every algorithm asked, in one streamed pass (1 MiB at a time). */
export async function digestFile(path: string, algorithms: readonly string[]): Promise<Map<string, string>> {
  const hashes = new Map<string, Hash>(algorithms.map((a) => [a, createHash(a)]));
  const handle = await fs.open(path, constants.O_RDONLY | NOFOLLOW);
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      for (const hash of hashes.values()) hash.update(chunk);
    }
  } finally {
    await handle.close();
  }
  return new Map([...hashes].map(([a, h]) => [a, h.digest('hex')]));
}
