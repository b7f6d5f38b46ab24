import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateBag } from '../../../electron/services/bundles/bagit';
import { tempDir } from '../../support/bag-fixture';

const work = tempDir('validate');
afterAll(() => rmSync(work, { recursive: true, force: true }));
let n = 0;
const digest = (algorithm: string, data: string | Buffer) => createHash(algorithm).update(data).digest('hex');

/** A bag written by hand: files (path → content) and tag files as given, nothing computed for it. */
function bag(files: Record<string, string | Buffer>): string {
  const dir = join(work, `bag-${++n}`);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  mkdirSync(join(dir, 'data'), { recursive: true });
  return dir;
}

const V1 = 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n';
const codes = async (dir: string) => {
  const report = await validateBag(dir);
  return { problems: report.problems.map((p) => p.code), warnings: report.warnings.map((w) => w.code) };
};

describe('validateBag', () => {
  it('v1.0: decodes %0A, %0D and %25 in manifest paths, and nothing else', async () => {
    const name = 'data/a%b\nc';
    const dir = bag({ 'bagit.txt': V1, [name]: 'x', 'data/%41': 'y' });
    writeFileSync(
      join(dir, 'manifest-sha256.txt'),
      `${digest('sha256', 'x')}  data/a%25b%0Ac\n${digest('sha256', 'y')}  data/%41\n`,
    );
    expect(await codes(dir)).toEqual({ problems: [], warnings: ['UNENCODED_PERCENT'] });
  });

  it('reads UTF-16 tag files with a little-endian byte-order mark', async () => {
    const manifest = `${digest('sha1', 'hello')}  data/h\u00e9llo.txt\n`;
    const dir = bag({
      'bagit.txt': 'BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-16\n',
      'data/h\u00e9llo.txt': 'hello',
      'manifest-sha1.txt': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(manifest, 'utf16le')]),
    });
    expect(await codes(dir)).toEqual({ problems: [], warnings: ['WEAK_ALGORITHM'] });
  });

  it('reports every problem at once: missing file, unlisted file, mismatch, Oxum, bad line', async () => {
    const dir = bag({
      'bagit.txt': V1,
      'bag-info.txt': 'Payload-Oxum: 1.1\nthis line has no label\n',
      'data/a': 'a',
      'data/b': 'b',
      'data/c': 'c',
    });
    writeFileSync(
      join(dir, 'manifest-sha512.txt'),
      `${digest('sha512', 'a')}  data/a\n${digest('sha512', 'not b')}  data/b\n${digest('sha512', 'z')}  data/z\nnonsense\n`,
    );
    expect((await codes(dir)).problems.sort()).toEqual(
      [
        'BAD_MANIFEST_LINE',
        'BAD_TAG_LINE',
        'FILE_MISSING',
        'FILE_NOT_IN_MANIFEST',
        'OXUM_MISMATCH',
        'PAYLOAD_HASH_MISMATCH',
      ].sort(),
    );
  });

  it('v1.0 needs every payload file in every manifest; v0.97 warns', async () => {
    const files = { 'data/a': 'a', 'data/b': 'b' };
    const manifests = (dir: string) => {
      writeFileSync(
        join(dir, 'manifest-sha256.txt'),
        `${digest('sha256', 'a')}  data/a\n${digest('sha256', 'b')}  data/b\n`,
      );
      writeFileSync(join(dir, 'manifest-sha512.txt'), `${digest('sha512', 'a')}  data/a\n`);
    };
    const v1 = bag({ 'bagit.txt': V1, ...files });
    manifests(v1);
    expect((await codes(v1)).problems).toEqual(['FILE_NOT_IN_MANIFEST']);
    const v097 = bag({ 'bagit.txt': 'BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n', ...files });
    manifests(v097);
    expect(await codes(v097)).toEqual({ problems: [], warnings: ['FILE_NOT_IN_EVERY_MANIFEST'] });
  });

  it('fetch.txt: a listed file may be absent; a listed file must be in the manifest; an unknown algorithm is skipped with a warning', async () => {
    const dir = bag({ 'bagit.txt': V1, 'data/a': 'a' });
    writeFileSync(
      join(dir, 'manifest-sha256.txt'),
      `${digest('sha256', 'a')}  data/a\n${digest('sha256', 'b')}  data/b\n`,
    );
    writeFileSync(join(dir, 'manifest-blake9.txt'), 'zz  data/a\n');
    writeFileSync(join(dir, 'fetch.txt'), 'https://example.invalid/b 1 data/b\nhttps://example.invalid/c - data/c\n');
    expect(await codes(dir)).toEqual({
      problems: ['FETCH_NOT_IN_MANIFEST'],
      warnings: ['UNSUPPORTED_ALGORITHM', 'FETCH_FILE_ABSENT'],
    });
  });

  it('bounds the report: past maxProblems, one TOO_MANY_PROBLEMS counts the rest', async () => {
    const dir = bag({ 'bagit.txt': V1 });
    writeFileSync(
      join(dir, 'manifest-sha256.txt'),
      Array.from({ length: 500 }, (_, i) => `${'0'.repeat(64)}  data/missing-${i}\n`).join(''),
    );
    const report = await validateBag(dir, { maxProblems: 20 });
    expect(report.problems).toHaveLength(21);
    expect(report.problems[20]).toMatchObject({
      code: 'TOO_MANY_PROBLEMS',
      message: '480 further problems were found and not listed.',
    });
  });

  it('refuses to read past its bounds on tag files and manifest lines', async () => {
    const dir = bag({ 'bagit.txt': V1 });
    writeFileSync(join(dir, 'manifest-sha256.txt'), `${'0'.repeat(64)}  data/x\n`.repeat(1000));
    expect((await validateBag(dir, { maxTagFileBytes: 1000 })).problems.map((p) => p.code)).toContain(
      'LIMIT_TAG_FILE_SIZE',
    );
    expect((await validateBag(dir, { maxManifestLines: 10 })).problems.map((p) => p.code)).toEqual([
      'LIMIT_MANIFEST_LINES',
    ]);
  });

  it('a directory that is no bag at all: every missing part is named', async () => {
    const dir = join(work, 'empty');
    mkdirSync(dir);
    expect((await codes(dir)).problems).toEqual(['MISSING_BAGIT_TXT', 'MISSING_DATA_DIR', 'MISSING_PAYLOAD_MANIFEST']);
    expect((await validateBag(join(work, 'nowhere'))).problems.map((p) => p.code)).toEqual(['UNREADABLE']);
  });
});

describe('validateBag and the profile on names that are not UTF-8', () => {
  it('reports the name instead of failing, and the profile refuses it', async () => {
    const { checkEnclaveProfile } = await import('../../../electron/services/bundles/bagit');
    const { makeEnclaveBag } = await import('../../support/bag-fixture');
    const dir = await makeEnclaveBag(join(work, 'latin1-name'));
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/data/`), Buffer.from([0x63, 0x61, 0x66, 0xe9])]), 'x');
    const report = await validateBag(dir);
    expect(report.problems).toEqual([
      {
        code: 'BAD_ENCODING',
        path: 'data/caf\ufffd',
        message: 'A file name is not valid UTF-8, so no manifest can name it.',
      },
    ]);
    expect((await checkEnclaveProfile(dir)).problems.map((p) => p.code)).toEqual(['PROFILE_PATH_NAME']);
  });
});
