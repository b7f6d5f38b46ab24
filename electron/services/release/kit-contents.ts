import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RepositoryError } from '../updates/repository/errors';
import { sha256File } from '../updates/release/release-sums';

/** The most files and folders a kit may hold: what the receiving site's verifier accepts. */
export const MAX_KIT_ENTRIES = 20000;

export interface SumsEntry {
  readonly sha256: string;
  readonly path: string;
}

/**
 * The kit is exactly what SHA256SUMS says, checked before the token signs it: a kit changed after
 * the sums were made (in transit to the signing machine, say) must not get a good signature. Every
 * listed path is a regular file with that SHA-256; nothing else is in the kit but SHA256SUMS and its
 * signature, and no folder but those the listed paths run through. Throws naming the first problem.
 */
export function checkKitContents(kit: string, entries: readonly SumsEntry[], unsigned: readonly string[]): void {
  const listed = new Map(entries.map((entry) => [entry.path, entry.sha256]));
  const folders = new Set(entries.flatMap((entry) => entry.path.split('/').slice(0, -1).map(prefixOf(entry.path))));
  for (const [path, isFolder] of kitEntries(kit)) {
    if (isFolder) {
      if (!folders.has(path)) refuse(`${shown(path)}: a folder in the kit that holds no file SHA256SUMS lists`);
    } else if (!listed.has(path) && !unsigned.includes(path)) {
      refuse(`${shown(path)}: in the kit but not in SHA256SUMS`);
    }
  }
  for (const { path, sha256 } of entries) {
    const stat = lstatSync(join(kit, path), { throwIfNoEntry: false });
    if (!stat) refuse(`${path}: listed in SHA256SUMS but missing`);
    if (!stat.isFile()) refuse(`${path}: not a regular file`);
    if (sha256File(join(kit, path)).hash !== sha256) refuse(`${path}: its SHA-256 does not match SHA256SUMS`);
  }
}

/** `a/b/c` with index 1 -> `a/b`: the folder the path runs through at that depth. */
const prefixOf = (path: string) => (_part: string, index: number) =>
  path
    .split('/')
    .slice(0, index + 1)
    .join('/');

/** Every entry under `kit` (relative path, is it a folder), links not followed; bounded in number. */
function kitEntries(kit: string): [string, boolean][] {
  const found: [string, boolean][] = [];
  const pending = [''];
  while (pending.length > 0) {
    const folder = pending.pop()!;
    for (const entry of readdirSync(join(kit, folder), { withFileTypes: true })) {
      const path = folder ? `${folder}/${entry.name}` : entry.name;
      found.push([path, entry.isDirectory()]);
      if (found.length > MAX_KIT_ENTRIES) refuse(`the kit holds more than ${MAX_KIT_ENTRIES} files and folders`);
      if (entry.isDirectory()) pending.push(path);
    }
  }
  return found;
}


/** Names come from the kit: printable ASCII only, bounded, in the message. */
const shown = (path: string) => path.replace(/[^\x20-\x7e]/g, '?').slice(0, 300);

function refuse(why: string): never {
  throw new RepositoryError('refused', `The kit does not match its SHA256SUMS: ${why}. Nothing was signed.`);
}
