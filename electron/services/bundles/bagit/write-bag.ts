import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { digestFile, walkBag } from './bag-files';
import type { BagInfoEntry } from './declaration';

/** RFC 8493 2.1.3: CR, LF and % in a manifest path are written %0D, %0A, %25. */
export const encodeManifestPath = (path: string): string =>
  path.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/** Writes a file whole under a temporary name in the same directory, fsyncs it, then renames it into place. */
export async function writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await fs.open(temp, 'wx', 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temp, path).catch(async (error: unknown) => {
    await fs.rm(temp, { force: true });
    throw error;
  });
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Makes `dir` (which holds its payload under data/) a BagIt 1.0 bag in Enclave's profile: bagit.txt,
 * bag-info.txt (the caller's entries, then Payload-Oxum), manifest-sha512.txt and
 * tagmanifest-sha512.txt, every line sorted so the same payload and entries give the same bytes.
 * Returns the tag manifest's bytes (what a signature covers).
 */
export async function writeBagTagFiles(dir: string, bagInfo: readonly BagInfoEntry[]): Promise<Buffer> {
  for (const { label, value } of bagInfo)
    if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(label) || /[\r\n]/.test(value))
      throw new Error(`bag-info.txt entry "${label}" needs a label of letters, digits and "-" and a one-line value`);
  const walk = await walkBag(join(dir, 'data'), Number.MAX_SAFE_INTEGER);
  const payload = walk.entries.filter((e) => e.kind === 'file');
  if (walk.badNames.length > 0)
    throw new Error(`the payload has a file name that is not valid UTF-8: ${walk.badNames[0]}`);
  if (walk.entries.some((e) => e.kind !== 'file' && e.kind !== 'dir'))
    throw new Error('the payload holds something other than regular files and directories');
  const lines: string[] = [];
  let octets = 0;
  for (const file of payload) {
    const digest = (await digestFile(join(dir, 'data', file.path), ['sha512'])).get('sha512') as string;
    lines.push(`${digest}  ${encodeManifestPath(`data/${file.path}`)}\n`);
    octets += file.bytes;
  }
  lines.sort(byCodePoint);
  await writeFileAtomic(join(dir, 'bagit.txt'), 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
  const info = [...bagInfo, { label: 'Payload-Oxum', value: `${octets}.${payload.length}` }];
  await writeFileAtomic(join(dir, 'bag-info.txt'), info.map((e) => `${e.label}: ${e.value}\n`).join(''));
  await writeFileAtomic(join(dir, 'manifest-sha512.txt'), lines.join(''));
  const tagLines: string[] = [];
  for (const name of ['bag-info.txt', 'bagit.txt', 'manifest-sha512.txt'])
    tagLines.push(`${(await digestFile(join(dir, name), ['sha512'])).get('sha512')}  ${name}\n`);
  const tagManifest = Buffer.from(tagLines.join(''));
  await writeFileAtomic(join(dir, 'tagmanifest-sha512.txt'), tagManifest);
  return tagManifest;
}
