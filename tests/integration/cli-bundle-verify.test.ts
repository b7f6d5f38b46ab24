import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeBundleTar } from '../../electron/services/bundles/tar';
import { makeEnclaveBag, tempDir } from '../support/bag-fixture';
import { repoRoot } from '../support/services';

/** `enclave bundle verify` end to end: the built CLI (dist/node/cli.cjs), its output and exit codes. */
const SUITE = join(repoRoot, 'tests', 'data', 'bagit-conformance');
const work = tempDir('cli-bundle-e2e');
afterAll(() => rmSync(work, { recursive: true, force: true }));

function enclave(args: string[]) {
  const result = spawnSync(process.execPath, [join(repoRoot, 'dist', 'node', 'cli.cjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ENCLAVE_DATA_DIR: join(work, 'no-data-dir') },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('enclave bundle verify (built CLI)', () => {
  it('exit 0 for a valid bag tar and for its split parts (--bagit; an unsigned bag is no bundle)', async () => {
    const bag = await makeEnclaveBag(join(work, 'bag'));
    mkdirSync(join(work, 'out'));
    const [tar] = await writeBundleTar(bag, join(work, 'out', 'bundle.tar'));
    const parts = await writeBundleTar(bag, join(work, 'out', 'split.tar'), { partBytes: 2048 });
    expect(enclave(['bundle', 'verify', '--bagit', tar as string])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^VALID {2}/),
    });
    expect(enclave(['bundle', 'verify', '--bagit', parts[0] as string]).code).toBe(0);
    expect(enclave(['bundle', 'verify', tar as string])).toMatchObject({
      code: 1,
      stdout: expect.stringMatching(/^SIGNATURE_MISSING {2}signature\.cms/),
    });
  });

  it('exit 1 with one line per problem for an invalid bag; 2 for bad arguments', () => {
    const invalid = enclave(['bundle', 'verify', '--bagit', join(SUITE, 'v0.97/invalid/extra-file-in-bag')]);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout.split('\n')).toEqual(
      expect.arrayContaining([
        'FILE_NOT_IN_MANIFEST  data/bar  This payload file is in no manifest.',
        expect.stringMatching(/^OXUM_MISMATCH {2}bag-info\.txt {2}Payload-Oxum says 29 bytes in 1 files/),
      ]),
    );
    expect(enclave(['bundle', 'verify']).code).toBe(2);
    expect(enclave(['bundle', 'verify', '--frobnicate', SUITE]).code).toBe(2);
    expect(enclave(['bundle', 'verify', join(work, 'nothing-here')]).code).toBe(2);
  });

  it('--json prints one object', () => {
    const { code, stdout } = enclave(['--json', 'bundle', 'verify', '--bagit', join(SUITE, 'v1.0/valid/basicBag')]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      path: join(SUITE, 'v1.0/valid/basicBag'),
      checks: 'bagit',
      valid: true,
      problems: [],
      warnings: [],
    });
  });
});
