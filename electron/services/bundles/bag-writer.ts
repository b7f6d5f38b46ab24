import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BAGIT_TXT, recordPath, SIGNATURE_FILES, TAG_FILES } from '../../../common/bundle/bundle-format';
import { bagInfoText, type BundleInfo } from '../../../common/bundle/bundle-info';

const sha512 = (bytes: Buffer | string) => createHash('sha512').update(bytes).digest('hex');

export interface WrittenBag {
  /** SHA-512 of tagmanifest-sha512.txt: the bundle's hash, which the next bundle on the channel names. */
  bundleHash: string;
  tagManifest: Buffer;
}

/**
 * Writes a bundle's bag into `dir` (empty, made by the caller): the records under data/records/,
 * the tag files, the tag manifest, and the detached signature `sign` makes over the tag manifest.
 * Manifest lines are sorted by path, so the same records and info give the same bytes.
 */
export function writeBag(
  dir: string,
  info: BundleInfo,
  records: readonly { kind: string; sha256: string; bytes: Buffer }[],
  sign: (tagManifest: Buffer) => Buffer,
  /** The site's ML-DSA-87 signature over the tag manifest, when the site signs with one. */
  signMlDsa?: (tagManifest: Buffer) => Buffer,
): WrittenBag {
  mkdirSync(join(dir, 'data', 'records'), { recursive: true });
  const payload = records
    .map((r) => ({ path: recordPath(r.kind, r.sha256), bytes: r.bytes }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  for (const file of payload) writeFileSync(join(dir, file.path), file.bytes, { flag: 'wx' });
  const manifest = payload.map((f) => `${sha512(f.bytes)}  ${f.path}\n`).join('');
  const bagInfo = bagInfoText(info, {
    bytes: payload.reduce((n, f) => n + f.bytes.length, 0),
    files: payload.length,
  });
  const tags: [string, string][] = [
    [TAG_FILES.bagit, BAGIT_TXT],
    [TAG_FILES.bagInfo, bagInfo],
    [TAG_FILES.manifest, manifest],
  ];
  for (const [name, text] of tags) writeFileSync(join(dir, name), text, { flag: 'wx' });
  const tagManifest = Buffer.from(
    [...tags]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, text]) => `${sha512(text)}  ${name}\n`)
      .join(''),
    'utf8',
  );
  writeFileSync(join(dir, TAG_FILES.tagManifest), tagManifest, { flag: 'wx' });
  writeFileSync(join(dir, SIGNATURE_FILES.cms), sign(tagManifest), { flag: 'wx' });
  if (signMlDsa) writeFileSync(join(dir, SIGNATURE_FILES.mlDsa), signMlDsa(tagManifest), { flag: 'wx' });
  return { bundleHash: sha512(tagManifest), tagManifest };
}
