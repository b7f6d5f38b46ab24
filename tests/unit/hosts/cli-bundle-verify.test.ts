import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { writeBundleTar } from '../../../electron/services/bundles/tar';
import { addBundleCommands } from '../../../hosts/cli/bundle-verify-command';
import { makeEnclaveBag, tempDir } from '../../support/bag-fixture';
import { craftTar } from '../../support/bag-mutations';
import { repoRoot } from '../../support/services';

/**
 * `enclave bundle verify` through its commander command, as cli.ts registers it (the global --json
 * option included), on conformance bags, Enclave bags, a tar and split parts.
 */
const SUITE = join(repoRoot, 'tests', 'data', 'bagit-conformance');
const work = tempDir('cli-bundle');
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function verify(args: string[]): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  let code = 0;
  const program = new Command('enclave')
    .option('--json')
    .exitOverride()
    .configureOutput({ writeErr: (t) => stderr.push(t), writeOut: (t) => stdout.push(t) });
  addBundleCommands(program, () => ({
    json: Boolean(program.opts().json),
    out: (text) => stdout.push(...text.split('\n')),
    err: (text) => stderr.push(text),
    setExit: (c) => (code = c),
  }));
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    // runCli (cli.ts) turns every commander error but --help into exit 2.
    if (!(error instanceof CommanderError)) throw error;
    code = error.exitCode === 0 ? 0 : 2;
  }
  return { code, stdout, stderr };
}

const scratchLeft = () => readdirSync(tmpdir()).filter((n) => n.startsWith('enclave-bundle-verify-'));

describe('enclave bundle verify', () => {
  it('--bagit: a valid conformance bag exits 0 with its warnings printed', async () => {
    const { code, stdout } = await verify(['bundle', 'verify', '--bagit', join(SUITE, 'v0.97/warning/relative-path')]);
    expect(code).toBe(0);
    expect(stdout[0]).toBe(
      'WARNING LEADING_DOT_SLASH  data/hello.txt  Line 1 of manifest-sha512.txt starts its path with "./".',
    );
    expect(stdout.at(-1)).toMatch(/^VALID {2}.*relative-path: BagIt \(RFC 8493\), 1 warning\(s\)$/);
  });

  it('--bagit: an invalid bag exits 1 and prints every problem, CODE  path  message', async () => {
    const { code, stdout } = await verify([
      'bundle',
      'verify',
      '--bagit',
      join(SUITE, 'v0.97/invalid/corrupt-tag-file'),
    ]);
    expect(code).toBe(1);
    expect(stdout.filter((l) => l.startsWith('TAG_HASH_MISMATCH  '))).toHaveLength(3);
    expect(stdout).toContain(
      "TAG_HASH_MISMATCH  bagit.txt  The file's md5 checksum does not match tagmanifest-md5.txt.",
    );
    expect(stdout.at(-1)).toMatch(/^INVALID {2}.*: 3 problem\(s\), 1 warning\(s\)$/);
  });

  it('without --bagit, the Enclave profile: an RFC-valid 0.97 md5 bag is invalid, an unsigned Enclave bag too', async () => {
    const rfcOnly = await verify(['bundle', 'verify', join(SUITE, 'v0.97/valid/basic-bag')]);
    expect(rfcOnly.code).toBe(1);
    expect(rfcOnly.stdout.map((l) => l.split('  ')[0])).toEqual(
      expect.arrayContaining(['PROFILE_MANIFEST_ALGORITHM', 'PROFILE_MISSING_FILE']),
    );
    const bag = await makeEnclaveBag(join(work, 'enclave-bag'));
    const { code, stdout } = await verify(['bundle', 'verify', bag]);
    // The profile holds; a bundle is always signed (a signed one: tests/integration/cli-bundle.test.ts).
    expect(code).toBe(1);
    expect(stdout[0]).toMatch(
      /^SIGNATURE_MISSING {2}signature\.cms {2}signature\.cms is missing\. A bundle is always signed\.$/,
    );
    expect((await verify(['bundle', 'verify', '--bagit', bag])).code).toBe(0);
  });

  it('checks a tar and the first part of a split tar, and removes what it extracted', async () => {
    const before = scratchLeft();
    const bag = await makeEnclaveBag(join(work, 'tar-bag'));
    const out = join(work, 'tars');
    mkdirSync(out);
    const [tar] = await writeBundleTar(bag, join(out, 'bundle.tar'));
    const parts = await writeBundleTar(bag, join(out, 'split.tar'), { partBytes: 1024 });
    expect((await verify(['bundle', 'verify', '--bagit', tar as string])).code).toBe(0);
    expect((await verify(['bundle', 'verify', '--bagit', parts[0] as string])).code).toBe(0);
    rmSync(parts[1] as string);
    const missing = await verify(['bundle', 'verify', parts[0] as string]);
    expect(missing.code).toBe(1);
    expect(missing.stdout[0]).toMatch(
      /^TAR_PARTS {2}.*split\.tar\.part-0002-of-\d+ {2}split\.tar\.part-0002-of-\d+ is missing: every part is needed\.$/,
    );
    expect(scratchLeft()).toEqual(before);
  });

  it('a conformance bag as a tar with one top-level folder (RFC 8493 section 4) is checked inside that folder', async () => {
    const bag = join(work, 'basicBag');
    cpSync(join(SUITE, 'v1.0/valid/basicBag'), bag, { recursive: true });
    const holder = join(work, 'holder');
    mkdirSync(holder);
    cpSync(bag, join(holder, 'basicBag'), { recursive: true });
    const [tar] = await writeBundleTar(holder, join(work, 'basic.tar'));
    const { code, stdout } = await verify(['bundle', 'verify', '--bagit', tar as string]);
    expect(code).toBe(0);
    expect(stdout.at(-1)).toMatch(/^VALID /);
  });

  it('an unsafe tar is refused with the tar code, and --json prints one object', async () => {
    const file = join(work, 'evil.tar');
    (await import('node:fs')).writeFileSync(
      file,
      craftTar([{ name: '../../etc/evil', type: '0', data: Buffer.from('x') }]),
    );
    const text = await verify(['bundle', 'verify', file]);
    expect(text.code).toBe(1);
    expect(text.stdout[0]).toBe(
      "TAR_BAD_PATH  ../../etc/evil  A tar entry's path is unsafe: it climbs out of the bag with ...",
    );
    const json = await verify(['--json', 'bundle', 'verify', file]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout.join('\n'))).toMatchObject({
      valid: false,
      checks: 'enclave',
      problems: [{ code: 'TAR_BAD_PATH', path: '../../etc/evil' }],
      warnings: [],
    });
  });

  it('exits 2 on a missing path argument, an unknown option, or a path that does not exist', async () => {
    expect((await verify(['bundle', 'verify'])).code).toBe(2);
    expect((await verify(['bundle', 'verify', '--strict', join(SUITE, 'v1.0/valid/basicBag')])).code).toBe(2);
    const gone = await verify(['bundle', 'verify', join(work, 'no-such-bundle')]);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toEqual([`enclave: ${join(work, 'no-such-bundle')} does not exist`]);
  });

  it('escapes control characters from file names in its output', async () => {
    const bag = join(work, 'ctl');
    cpSync(join(SUITE, 'v1.0/valid/basicBag'), bag, { recursive: true });
    (await import('node:fs')).writeFileSync(join(bag, 'data', 'evil\u001b[31mname'), 'x');
    const { stdout } = await verify(['bundle', 'verify', '--bagit', bag]);
    expect(stdout[0]).toBe('FILE_NOT_IN_MANIFEST  data/evil\\u001b[31mname  This payload file is in no manifest.');
  });
});
