import { createHash } from 'node:crypto';
import { closeSync, lstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { unsafePathReason } from '../../bundles/bagit/path-rules';

/** The files a release kit may hold beside those SHA256SUMS lists: the list itself and its signatures. */
const UNLISTED_ALLOWED = new Set(['SHA256SUMS', 'SHA256SUMS.cms', 'SHA384SUMS']);
/** 20,000 lines of a 64-hex hash and a 240-byte path come to under 7 MiB. */
const MAX_SUMS_BYTES = 8 * 1024 * 1024;
/** `<64 hex>  <path>` as sha256sum writes it (text mode), or `<64 hex> *<path>` (binary mode). */
const LINE = /^([0-9a-fA-F]{64}) [ *](.+)$/;

/** Why a release kit does not check out; the stage turns it into a refusal naming the release. */
export class ReleaseKitError extends Error {
  override name = 'ReleaseKitError';
}

/** SHA256SUMS as path → lowercase hash. Refuses, naming the line, anything sha256sum would not write. */
export function parseSha256Sums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const where = `SHA256SUMS line ${i + 1}`;
    // sha256sum starts a line with \ when it escapes a name: such names are never safe here.
    const match = LINE.exec(line);
    if (!match) throw new ReleaseKitError(`${where} is not "<SHA-256 in hex>  <path>".`);
    let path = match[2]!;
    while (path.startsWith('./')) path = path.slice(2);
    const unsafe = unsafePathReason(path);
    if (unsafe) throw new ReleaseKitError(`${where} names an unsafe path: ${unsafe}.`);
    if (path === 'SHA256SUMS') throw new ReleaseKitError(`${where} lists SHA256SUMS itself.`);
    if (sums.has(path)) throw new ReleaseKitError(`${where} lists ${path} a second time.`);
    sums.set(path, match[1]!.toLowerCase());
  });
  if (sums.size === 0) throw new ReleaseKitError('SHA256SUMS lists no files.');
  return sums;
}

/** Every plain file under dir, as `/`-separated relative paths; anything else is refused. */
function walkFiles(dir: string, base = '', out: string[] = []): string[] {
  for (const name of readdirSync(join(dir, base)).sort()) {
    const path = base ? `${base}/${name}` : name;
    const stat = lstatSync(join(dir, path));
    if (stat.isDirectory()) walkFiles(dir, path, out);
    else if (stat.isFile()) out.push(path);
    else throw new ReleaseKitError(`${path} is not a plain file.`);
  }
  return out;
}

/** A file's SHA-256 and length, read 1 MiB at a time. */
export function sha256File(path: string): { hash: string; bytes: number } {
  const hash = createHash('sha256');
  const chunk = Buffer.allocUnsafe(1024 * 1024);
  const fd = openSync(path, 'r');
  let bytes = 0;
  try {
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      hash.update(chunk.subarray(0, n));
      bytes += n;
    }
  } finally {
    closeSync(fd);
  }
  return { hash: hash.digest('hex'), bytes };
}

/**
 * Checks an extracted release kit against its SHA256SUMS: every listed file present with its hash,
 * and no file unlisted but SHA256SUMS and its signatures. Returns the files and bytes it holds.
 */
export function checkReleaseKit(dir: string): { files: number; bytes: number } {
  const sumsPath = join(dir, 'SHA256SUMS');
  let stat;
  try {
    stat = lstatSync(sumsPath);
  } catch {
    throw new ReleaseKitError('it holds no SHA256SUMS at its top level.');
  }
  if (!stat.isFile()) throw new ReleaseKitError('its SHA256SUMS is not a plain file.');
  if (stat.size > MAX_SUMS_BYTES) throw new ReleaseKitError(`its SHA256SUMS is over ${MAX_SUMS_BYTES} bytes.`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(sumsPath));
  } catch {
    throw new ReleaseKitError('its SHA256SUMS is not UTF-8 text.');
  }
  const sums = parseSha256Sums(text);
  const present = walkFiles(dir);
  const presentSet = new Set(present);
  const unlisted = present.filter((p) => !sums.has(p) && !UNLISTED_ALLOWED.has(p));
  if (unlisted.length > 0)
    throw new ReleaseKitError(`${unlisted.slice(0, 5).join(', ')} ${unlisted.length > 1 ? 'are' : 'is'} not listed in SHA256SUMS.`);
  const missing = [...sums.keys()].filter((p) => !presentSet.has(p));
  if (missing.length > 0)
    throw new ReleaseKitError(`SHA256SUMS lists ${missing.slice(0, 5).join(', ')}, which the release does not hold.`);
  let bytes = 0;
  for (const path of present) {
    const found = sha256File(join(dir, path));
    bytes += found.bytes;
    const want = sums.get(path);
    if (want !== undefined && found.hash !== want)
      throw new ReleaseKitError(`${path} does not match its SHA-256 in SHA256SUMS (it was altered or damaged).`);
  }
  return { files: present.length, bytes };
}
