import { createHash, randomBytes } from 'node:crypto';
import {
  appendFileSync,
  closeSync,
  copyFileSync,
  createReadStream,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  unlinkSync,
} from 'node:fs';
import { basename, extname, join } from 'node:path';
import { unsafeNameReason } from './beacon';

/** Where transfers in progress live: hidden, inside the quarantine directory, so a rename is atomic. */
export const INCOMING = '.incoming';
export const REPORT_FILE = 'diode-report.jsonl';

/** Makes DIR and DIR/.incoming; removes part files a stopped receiver left there. */
export function prepareQuarantine(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const incoming = join(dir, INCOMING);
  mkdirSync(incoming, { recursive: true, mode: 0o700 });
  for (const name of readdirSync(incoming))
    if (name.endsWith('.part') || name.endsWith('.repair') || name.endsWith('.accept'))
      rmSync(join(incoming, name), { force: true });
  return incoming;
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Moves a complete, synced file from DIR/.incoming into DIR under `name`, never over an existing
 * file (link fails if the name is taken: then name-2, name-3 ...), and syncs the directory.
 * Returns the path it has in DIR.
 */
export function placeInQuarantine(tempPath: string, dir: string, name: string): string {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 1; n <= 1000; n++) {
    const target = join(dir, n === 1 ? name : `${stem}-${n}${ext}`);
    try {
      linkSync(tempPath, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    unlinkSync(tempPath);
    fsyncDir(dir);
    fsyncDir(join(dir, INCOMING));
    return target;
  }
  throw new Error(`quarantine already holds 1000 files named like ${name}`);
}

export function appendReport(dir: string, record: object): void {
  appendFileSync(join(dir, REPORT_FILE), `${JSON.stringify(record)}\n`, { mode: 0o600 });
}

async function sha512OfPath(path: string): Promise<string> {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * A file that another tool received (udpcast's udp-receiver, removable media) enters quarantine
 * the same way a diode transfer does: moved (or copied, across file systems) into DIR/.incoming,
 * synced, checked against the expected SHA-512 when one is given, then linked into DIR atomically.
 * The source is removed once the file is in DIR; a refused file is left where it was. Returns the path in DIR and the SHA-512 found.
 */
export async function acceptReceivedFile(
  path: string,
  quarantineDir: string,
  expectedSha512?: string,
): Promise<{ path: string; sha512: string }> {
  const name = basename(path);
  const problem = unsafeNameReason(name);
  if (problem) throw new Error(`cannot accept "${name}": ${problem}`);
  if (expectedSha512 !== undefined && !/^[0-9a-f]{128}$/i.test(expectedSha512))
    throw new Error('the expected SHA-512 must be 128 hexadecimal digits');
  const incoming = prepareQuarantine(quarantineDir);
  const temp = join(incoming, `${randomBytes(16).toString('hex')}.accept`);
  let moved = false;
  try {
    try {
      renameSync(path, temp);
      moved = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      copyFileSync(path, temp);
    }
    const fd = openSync(temp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    const sha512 = await sha512OfPath(temp);
    if (expectedSha512 !== undefined && sha512 !== expectedSha512.toLowerCase())
      throw new Error(`"${name}" does not match the expected SHA-512 (it has ${sha512})`);
    const placed = placeInQuarantine(temp, quarantineDir, name);
    rmSync(path, { force: true });
    return { path: placed, sha512 };
  } catch (error) {
    // A refused file stays where it was, for the operator to look at.
    if (moved) renameSync(temp, path);
    else rmSync(temp, { force: true });
    throw error;
  }
}
