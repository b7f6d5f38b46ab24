import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateBag } from '../../../electron/services/bundles/bagit';
import { extractBundleTar, TarError, writeBundleTar, type TarErrorCode } from '../../../electron/services/bundles/tar';
import { makeEnclaveBag, tempDir } from '../../support/bag-fixture';
import {
  BYTE_MUTATIONS,
  craftTar,
  entriesFromBag,
  ENTRY_MUTATIONS,
  seededRandom,
  type TarEntrySpec,
} from '../../support/bag-mutations';

const work = tempDir('tar');
afterAll(() => rmSync(work, { recursive: true, force: true }));
let n = 0;
const next = () => join(work, `case-${++n}`);

/** Extracts `tar` into a fresh landing folder; returns the refusal's code (or 'ok'), checking nothing was left. */
async function extract(tar: Buffer, limits = {}): Promise<TarErrorCode | 'ok'> {
  const dir = next();
  mkdirSync(dir);
  writeFileSync(join(dir, 'in.tar'), tar);
  const landing = join(dir, 'landing');
  mkdirSync(landing);
  try {
    await extractBundleTar([join(dir, 'in.tar')], join(landing, 'bag'), limits);
    return 'ok';
  } catch (error) {
    if (!(error instanceof TarError)) throw error;
    expect(readdirSync(landing)).toEqual([]);
    expect(error.message).toMatch(/\.$/);
    return error.code;
  }
}

const file = (name: string, text = 'x'): TarEntrySpec => ({ name, type: '0', data: Buffer.from(text) });

describe('extractBundleTar', () => {
  it('extracts what writeBundleTar wrote, byte for byte, and the bag stays valid', async () => {
    const bag = await makeEnclaveBag(next());
    const out = next();
    mkdirSync(out);
    const [tar] = await writeBundleTar(bag, join(out, 'bundle.tar'));
    const result = await extractBundleTar([tar as string], join(out, 'bag'));
    expect(result.files).toBe(7);
    for (const name of ['bagit.txt', 'manifest-sha512.txt', 'data/records/run-0001.json'])
      expect(readFileSync(join(out, 'bag', name))).toEqual(readFileSync(join(bag, name)));
    expect((await validateBag(join(out, 'bag'))).valid).toBe(true);
  });

  it('reads GNU tar and pax archives made by tar(1), including ./ names and long names', async () => {
    const bag = await makeEnclaveBag(next(), { [`${'long-folder-name/'.repeat(8)}record.json`]: '{}' });
    for (const format of ['gnu', 'pax', 'ustar']) {
      const out = next();
      mkdirSync(out);
      try {
        execFileSync('tar', [`--format=${format}`, '-cf', join(out, 'b.tar'), '-C', bag, '.'], { stdio: 'pipe' });
      } catch {
        continue; // ustar cannot hold every long name: tar(1) itself refuses
      }
      await extractBundleTar([join(out, 'b.tar')], join(out, 'bag'), { maxPathBytes: 1000 });
      expect((await validateBag(join(out, 'bag'))).valid, format).toBe(true);
    }
  });

  it.each([
    ['symlink', 'TAR_LINK_ENTRY'],
    ['hardlink', 'TAR_LINK_ENTRY'],
    ['device', 'TAR_DEVICE_ENTRY'],
    ['fifo', 'TAR_DEVICE_ENTRY'],
    ['dot-dot', 'TAR_BAD_PATH'],
    ['absolute', 'TAR_BAD_PATH'],
    ['backslash', 'TAR_BAD_PATH'],
    ['pax-path-override', 'TAR_BAD_PATH'],
    ['reserved-name', 'TAR_BAD_PATH'],
    ['control-character', 'TAR_BAD_PATH'],
    ['case-collision', 'TAR_COLLISION'],
    ['nfd-collision', 'TAR_COLLISION'],
    ['duplicate-entry', 'TAR_DUPLICATE'],
    ['file-then-folder', 'TAR_DUPLICATE'],
    ['huge-declared-size', 'TAR_ENTRY_TOO_LARGE'],
    ['unknown-type', 'TAR_UNSUPPORTED_ENTRY'],
  ] as const)('refuses %s with %s and leaves nothing behind', async (mutation, code) => {
    const base = entriesFromBag(await makeEnclaveBag(next()));
    for (let seed = 1; seed <= 4; seed++)
      expect(
        await extract(
          craftTar(
            (ENTRY_MUTATIONS[mutation] as (e: TarEntrySpec[], r: () => number) => TarEntrySpec[])(
              base,
              seededRandom(seed),
            ),
          ),
        ),
      ).toBe(code);
  });

  it.each([
    ['no-end-marker', 'TAR_TRUNCATED'],
    ['one-end-block', 'TAR_TRUNCATED'],
    ['trailing-garbage', 'TAR_TRAILING_GARBAGE'],
    ['truncate-at-block', 'TAR_TRUNCATED'],
  ] as const)('refuses a tar with %s (%s)', async (mutation, code) => {
    const base = craftTar(entriesFromBag(await makeEnclaveBag(next())));
    for (let seed = 1; seed <= 4; seed++) {
      const mutated = (BYTE_MUTATIONS[mutation] as (t: Buffer, r: () => number) => Buffer)(base, seededRandom(seed));
      const result = await extract(mutated);
      // A cut exactly after an end block, or at zero, reads as an empty or unterminated tar.
      expect([code, 'TAR_TRUNCATED']).toContain(result);
    }
  });

  it('accepts zero padding after the end marker (tar record padding)', async () => {
    const base = craftTar([file('data/a.json')]);
    expect(await extract(Buffer.concat([base, Buffer.alloc(9216)]))).toBe('ok');
  });

  it('refuses a corrupt header checksum and a header that is not ustar', async () => {
    const tar = craftTar([file('data/a.json')]);
    const flipped = Buffer.from(tar);
    flipped[10] = (flipped[10] as number) ^ 1;
    expect(await extract(flipped)).toBe('TAR_BAD_HEADER');
    expect(await extract(Buffer.alloc(2048, 0x41))).toBe('TAR_BAD_HEADER');
    const globals = Array.from({ length: 5 }, () => ({ name: 'g', type: 'g', data: Buffer.from('10 a=bcde\n') }));
    expect(await extract(craftTar([...globals, file('data/a')]))).toBe('TAR_BAD_HEADER');
    expect(await extract(craftTar([...globals.slice(0, 2), file('data/a')]))).toBe('ok');
  });

  it('applies the entry, size and path limits', async () => {
    const entries = Array.from({ length: 12 }, (_, i) => file(`data/f${i}`, 'abcdef'));
    expect(await extract(craftTar(entries), { maxEntries: 10 })).toBe('TAR_TOO_MANY_ENTRIES');
    expect(await extract(craftTar(entries), { maxEntryBytes: 5 })).toBe('TAR_ENTRY_TOO_LARGE');
    expect(await extract(craftTar(entries), { maxTotalBytes: 60 })).toBe('TAR_TOTAL_TOO_LARGE');
    expect(await extract(craftTar([file(`data/${'a'.repeat(200)}`)]), { maxPathBytes: 100 })).toBe('TAR_PATH_TOO_LONG');
    expect(await extract(craftTar(entries))).toBe('ok');
  });

  it('refuses more zeros after the end marker than any record padding', async () => {
    expect(await extract(Buffer.concat([craftTar([file('data/a.json')]), Buffer.alloc(2 * 1024 * 1024)]))).toBe(
      'TAR_TRAILING_GARBAGE',
    );
  });

  it('stops a source that never ends at the byte limit', async () => {
    const dir = next();
    mkdirSync(join(dir, 'landing'), { recursive: true });
    // /dev/zero: an endless stream of zero blocks, refused as zeros far past the end marker.
    const zeros = await extractBundleTar(['/dev/zero'], join(dir, 'landing', 'bag')).catch((e: unknown) => e);
    expect((zeros as TarError).code).toBe('TAR_TRAILING_GARBAGE');
    // Entries bloated with pax records: within every per-entry bound, past the archive's byte limit.
    const bloated = Array.from({ length: 8 }, (_, i) => ({
      ...file(`data/f${i}`),
      pax: { comment: 'c'.repeat(60_000) },
    }));
    writeFileSync(join(dir, 'bloated.tar'), craftTar(bloated));
    const endless = await extractBundleTar([join(dir, 'bloated.tar')], join(dir, 'landing', 'bag'), {
      maxTotalBytes: 1024,
      maxEntries: 10,
    }).catch((e: unknown) => e);
    expect((endless as TarError).code).toBe('TAR_ARCHIVE_TOO_LARGE');
    expect(readdirSync(join(dir, 'landing'))).toEqual([]);
  });

  it('refuses a file whose data never ends within the declared size (cut short)', async () => {
    const tar = craftTar([{ name: 'data/a.bin', type: '0', size: 100_000, data: Buffer.alloc(1000, 1) }], {
      end: false,
    });
    expect(await extract(tar)).toBe('TAR_TRUNCATED');
  });

  it('refuses an existing destination and a missing source', async () => {
    const dir = next();
    mkdirSync(join(dir, 'bag'), { recursive: true });
    writeFileSync(join(dir, 'in.tar'), craftTar([file('data/a')]));
    await expect(extractBundleTar([join(dir, 'in.tar')], join(dir, 'bag'))).rejects.toMatchObject({
      code: 'TAR_DEST_EXISTS',
    });
    await expect(extractBundleTar([join(dir, 'missing.tar')], join(dir, 'out'))).rejects.toMatchObject({
      code: 'TAR_NO_SOURCE',
    });
    await expect(extractBundleTar([], join(dir, 'out'))).rejects.toMatchObject({ code: 'TAR_NO_SOURCE' });
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('writeBundleTar', () => {
  it('is deterministic: the same bag gives the same bytes; mtime 0, uid/gid 0, no names', async () => {
    const bag = await makeEnclaveBag(next());
    const out = next();
    mkdirSync(out);
    const [a] = await writeBundleTar(bag, join(out, 'a.tar'));
    const [b] = await writeBundleTar(bag, join(out, 'b.tar'));
    const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
    expect(sha(a as string)).toBe(sha(b as string));
    const listing = execFileSync('tar', ['--numeric-owner', '-tvf', a as string], { encoding: 'utf8' });
    for (const line of listing.trim().split('\n'))
      expect(line).toMatch(/^(-rw-r--r--|drwxr-xr-x) 0\/0 .* 1970-01-01 00:00 /);
    const [c] = await writeBundleTar(bag, join(out, 'c.tar'), { mtime: 1_700_000_000 });
    expect(sha(c as string)).not.toBe(sha(a as string));
  });

  it('splits into NAME.part-000N-of-000M; the reader takes the first part or all of them, and refuses a missing or stray part', async () => {
    const bag = await makeEnclaveBag(next(), { 'big.bin': Buffer.alloc(20_000, 7) });
    const out = next();
    mkdirSync(out);
    const parts = await writeBundleTar(bag, join(out, 'bundle.tar'), { partBytes: 4096 });
    expect(parts.length).toBeGreaterThan(4);
    expect(parts[0]).toMatch(/bundle\.tar\.part-0001-of-00\d\d$/);
    for (const part of parts.slice(0, -1)) expect(readFileSync(part).length).toBe(4096);
    await extractBundleTar([parts[0] as string], join(out, 'from-first'));
    expect((await validateBag(join(out, 'from-first'))).valid).toBe(true);
    await extractBundleTar(parts, join(out, 'from-all'));
    await expect(extractBundleTar([parts[1] as string], join(out, 'x'))).rejects.toMatchObject({ code: 'TAR_PARTS' });
    await expect(extractBundleTar([...parts].reverse(), join(out, 'x'))).rejects.toMatchObject({ code: 'TAR_PARTS' });
    await expect(extractBundleTar(parts.slice(0, -1), join(out, 'x'))).rejects.toMatchObject({ code: 'TAR_PARTS' });
    const stray = join(out, `bundle.tar.part-0099-of-0099`);
    writeFileSync(stray, '');
    await expect(extractBundleTar([parts[0] as string], join(out, 'x'))).rejects.toMatchObject({ code: 'TAR_PARTS' });
    rmSync(stray);
    rmSync(parts[2] as string);
    await expect(extractBundleTar([parts[0] as string], join(out, 'x'))).rejects.toMatchObject({ code: 'TAR_PARTS' });
    expect(existsSync(join(out, 'x'))).toBe(false);
  });

  it('refuses a symbolic link in the bag and writing the tar inside the bag, leaving no file', async () => {
    const bag = await makeEnclaveBag(next());
    await expect(writeBundleTar(bag, join(bag, 'self.tar'))).rejects.toMatchObject({ code: 'TAR_BAD_PATH' });
    execFileSync('ln', ['-s', '/etc/hostname', join(bag, 'data', 'link')]);
    const out = next();
    mkdirSync(out);
    await expect(writeBundleTar(bag, join(out, 'b.tar'))).rejects.toMatchObject({ code: 'TAR_LINK_ENTRY' });
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('tar headers', () => {
  it('pax records carry their own exact length across digit boundaries, and read back', async () => {
    const { paxRecord, parsePaxRecords } = await import('../../../electron/services/bundles/tar/tar-header');
    for (let length = 1; length < 1100; length++) {
      const value = 'v'.repeat(length);
      const record = paxRecord('path', value);
      expect(Number(record.split(' ')[0])).toBe(Buffer.byteLength(record));
      expect(parsePaxRecords(Buffer.from(record)).get('path')).toBe(value);
    }
  });

  it('refuses a pax record whose length lies', async () => {
    const { parsePaxRecords } = await import('../../../electron/services/bundles/tar/tar-header');
    expect(() => parsePaxRecords(Buffer.from('99 path=x\n'))).toThrow(TarError);
    expect(() => parsePaxRecords(Buffer.from('9 path=x\n'))).not.toThrow();
    expect(() => parsePaxRecords(Buffer.from('8 path=x\n'))).toThrow(TarError);
    expect(() => parsePaxRecords(Buffer.from('9 pathx\n'))).toThrow(TarError);
  });

  it('a name over 255 bytes goes through a pax header and back', async () => {
    const name = `${'deep/'.repeat(60)}record.json`;
    const bag = await makeEnclaveBag(next(), { [name]: '{}' });
    const out = next();
    mkdirSync(out);
    const [tar] = await writeBundleTar(bag, join(out, 'b.tar'));
    expect(execFileSync('tar', ['-tf', tar as string], { encoding: 'utf8' })).toContain(`data/${name}`);
    await extractBundleTar([tar as string], join(out, 'bag'), { maxPathBytes: 1000 });
    expect(readFileSync(join(out, 'bag', 'data', name), 'utf8')).toBe('{}');
  });
});

describe('GNU long names', () => {
  it('reads an L header as the next entry name, and refuses one that is not UTF-8 or unsafe', async () => {
    const long = `data/${'n'.repeat(150)}`;
    const entries = (name: Buffer): TarEntrySpec[] => [
      { name: '././@LongLink', type: 'L', data: Buffer.concat([name, Buffer.from([0])]) },
      { name: 'data/short', type: '0', data: Buffer.from('x') },
    ];
    expect(await extract(craftTar(entries(Buffer.from(long))), { maxPathBytes: 1000 })).toBe('ok');
    expect(await extract(craftTar(entries(Buffer.from([0x64, 0x61, 0x74, 0x61, 0x2f, 0xff]))))).toBe('TAR_BAD_PATH');
    expect(await extract(craftTar(entries(Buffer.from('../../x'))))).toBe('TAR_BAD_PATH');
  });
});
