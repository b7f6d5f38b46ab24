import { linkSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkEnclaveProfile, validateBag, writeBagTagFiles } from '../../../electron/services/bundles/bagit';
import { makeEnclaveBag, SAMPLE_PAYLOAD, tempDir } from '../../support/bag-fixture';

const dirs: string[] = [];
const fresh = () => {
  const dir = tempDir('profile');
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const codes = async (dir: string, options = {}) =>
  (await checkEnclaveProfile(dir, options)).problems.map((p) => p.code);

describe('checkEnclaveProfile', () => {
  it('accepts a bag written by writeBagTagFiles, which is also valid by the RFC alone', async () => {
    const dir = await makeEnclaveBag(fresh());
    const report = await checkEnclaveProfile(dir);
    expect(report.problems).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.valid).toBe(true);
    expect(report.version).toBe('1.0');
    expect(report.payload).toHaveLength(3);
    expect(report.bagInfo.find((e) => e.label === 'Payload-Oxum')?.value).toMatch(/^\d+\.3$/);
    expect((await validateBag(dir)).valid).toBe(true);
  });

  it('allows the signature files named in extraTagFiles, and nothing else at the root', async () => {
    const dir = await makeEnclaveBag(fresh());
    writeFileSync(join(dir, 'signature.cms'), Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01]));
    expect(await codes(dir)).toEqual(['PROFILE_UNEXPECTED_FILE']);
    expect(await codes(dir, { extraTagFiles: ['signature.cms', 'signature-mldsa87.bin'] })).toEqual([]);
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    expect(await codes(dir, { extraTagFiles: ['signature.cms'] })).toEqual(['PROFILE_UNEXPECTED_FILE']);
  });

  it('refuses fetch.txt, other manifest algorithms, and a missing required file', async () => {
    const dir = await makeEnclaveBag(fresh());
    writeFileSync(join(dir, 'fetch.txt'), 'https://example.invalid/x - data/records/x.json\n');
    writeFileSync(join(dir, 'manifest-md5.txt'), '');
    rmSync(join(dir, 'bag-info.txt'));
    expect((await codes(dir)).sort()).toEqual(['PROFILE_FETCH', 'PROFILE_MANIFEST_ALGORITHM', 'PROFILE_MISSING_FILE']);
  });

  it('refuses symbolic links and hard links before hashing anything', async () => {
    const dir = await makeEnclaveBag(fresh());
    symlinkSync('/etc/passwd', join(dir, 'data', 'records', 'link.json'));
    linkSync(join(dir, 'data', 'records', 'run-0001.json'), join(dir, 'data', 'records', 'run-copy.json'));
    expect((await codes(dir)).sort()).toEqual(['PROFILE_HARD_LINK', 'PROFILE_HARD_LINK', 'UNSAFE_FILE_TYPE']);
  });

  it('refuses Windows-reserved names, trailing dots, control characters and collisions', async () => {
    const dir = fresh();
    await makeEnclaveBag(dir, {
      ...SAMPLE_PAYLOAD,
      'CON.json': '{}',
      lpt3: '{}',
      'trailing.': '{}',
      'tab\tname': '{}',
      'Report.json': '1',
      'report.JSON': '2',
      'caf\u00e9': '3',
      'cafe\u0301': '4',
    });
    const problems = (await checkEnclaveProfile(dir)).problems;
    const named = (code: string) =>
      problems
        .filter((p) => p.code === code)
        .map((p) => p.path)
        .sort();
    expect(named('PROFILE_PATH_NAME')).toEqual([
      'data/CON.json',
      'data/cafe\u0301',
      'data/lpt3',
      'data/tab\tname',
      'data/trailing.',
    ]);
    expect(named('PROFILE_COLLISION')).toEqual(['data/caf\u00e9', 'data/report.JSON']);
  });

  it('applies every limit, each configurable', async () => {
    const dir = await makeEnclaveBag(fresh(), {
      ...SAMPLE_PAYLOAD,
      'big.bin': Buffer.alloc(5000),
      [`${'x'.repeat(60)}/${'y'.repeat(60)}`]: 'z',
    });
    expect(await codes(dir)).toEqual([]);
    const limited = await codes(dir, {
      limits: { maxFiles: 4, maxFileBytes: 4096, maxTotalBytes: 4500, maxPathBytes: 100, maxTagFileBytes: 200 },
    });
    expect(limited.sort()).toEqual(
      [
        'LIMIT_FILE_COUNT',
        'LIMIT_FILE_SIZE',
        'LIMIT_PATH_LENGTH',
        'LIMIT_TAG_FILE_SIZE',
        'LIMIT_TAG_FILE_SIZE',
        'LIMIT_TOTAL_SIZE',
      ].sort(),
    );
  });

  it('refuses a bag with more entries than the limit allows without walking all of it', async () => {
    const payload: Record<string, string> = {};
    for (let i = 0; i < 50; i++) payload[`f${i}`] = String(i);
    const dir = await makeEnclaveBag(fresh(), payload);
    expect(await codes(dir, { limits: { maxFiles: 10 } })).toEqual(['LIMIT_FILE_COUNT']);
  });

  it('refuses a tag manifest that does not list exactly bagit.txt, bag-info.txt, manifest-sha512.txt', async () => {
    const dir = await makeEnclaveBag(fresh());
    const lines = (await import('node:fs')).readFileSync(join(dir, 'tagmanifest-sha512.txt'), 'utf8').split('\n');
    writeFileSync(join(dir, 'tagmanifest-sha512.txt'), `${lines[1]}\n${lines[2]}\n`);
    expect(await codes(dir)).toEqual(['PROFILE_TAG_MANIFEST']);
  });

  it('turns every RFC warning into a problem, and refuses BagIt 0.97 and other encodings', async () => {
    const dir = await makeEnclaveBag(fresh());
    writeFileSync(join(dir, 'bagit.txt'), 'BagIt-Version: 0.97\nTag-File-Character-Encoding: ISO-8859-1\n');
    writeFileSync(join(dir, 'bag-info.txt'), 'Source-Organization : x\n');
    // Re-sign nothing: the tag manifest no longer matches, and the profile names every reason.
    const found = await codes(dir);
    expect(found).toContain('PROFILE_VERSION');
    expect(found).toContain('PROFILE_ENCODING');
    expect(found).toContain('TAG_LINE_WHITESPACE');
    expect(found).toContain('TAG_HASH_MISMATCH');
  });

  it('writeBagTagFiles percent-encodes CR, LF and % in names, and the validator reads them back', async () => {
    const dir = await makeEnclaveBag(fresh(), { '100%.json': '{}', 'line\nbreak': 'x' });
    const manifest = (await import('node:fs')).readFileSync(join(dir, 'manifest-sha512.txt'), 'utf8');
    expect(manifest).toContain('data/100%25.json');
    expect(manifest).toContain('data/line%0Abreak');
    const report = await validateBag(dir);
    expect(report.problems).toEqual([]);
    // The profile refuses the control character in the name all the same.
    expect(await codes(dir)).toEqual(['PROFILE_PATH_NAME']);
  });

  it('a nested folder in data/ is fine; one beside it is not', async () => {
    const dir = await makeEnclaveBag(fresh());
    mkdirSync(join(dir, 'extra'));
    writeFileSync(join(dir, 'extra', 'x'), '1');
    expect((await codes(dir)).sort()).toEqual(['PROFILE_UNEXPECTED_FILE', 'PROFILE_UNEXPECTED_FILE']);
    await writeBagTagFiles(dir, []);
  });
});
