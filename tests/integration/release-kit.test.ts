import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAppRelease } from '../../electron/services/updates/release';
import { listFiles, RUNTIME_MODULES } from '../../scripts/release/app-payload.mjs';
import { npmLsProductionPackages } from '../../scripts/release/sbom.mjs';
import { softhsmModulePath, writeSofthsmConfig, writeTokens } from '../support/fixtures/piv/softhsm';
import { releaseTarget } from '../support/release-kit';
import { OpensslCa } from '../support/release-pki';
import { repoRoot } from '../support/services';

/**
 * The release kit as `npm run release` builds it from this tree (issue 19, "Done means"): signed
 * with a release key on a SoftHSM2 token, its CA's CRL carried in, then checked at the "receiving
 * site" with verify-release.sh under dash, broken every way the issue names, and applied as the
 * payload of an app update. The build uses the dist/ npm test has built (--no-build).
 */
const work = mkdtempSync(join(tmpdir(), 'enclave-release-kit-'));
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const token = { label: 'release-officer', pin: '604218', soPin: '90817263' };
const previousConf = process.env.SOFTHSM2_CONF;
let env: NodeJS.ProcessEnv;
let ca: OpensslCa;
let signer: string;
let kit: string;
let built: { code: number | null; stdout: string; stderr: string };

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 300_000, env, input: '', ...options });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const release = (out: string, extra: string[] = []) =>
  run(process.execPath, [join(repoRoot, 'scripts/release.mjs'), '--no-build', '--out', out, ...extra], {
    cwd: repoRoot,
  });

const signArgs = (certificate: string) => [
  '--sign-module',
  softhsmModulePath(),
  '--sign-token-label',
  token.label,
  '--sign-key-label',
  'release-2026',
  '--sign-certificate',
  certificate,
];

/**
 * verify-release.sh as a receiving site runs it: dash, the site's CA file, and the kit's own copy
 * of the script, or (`trusted`) a copy the site already holds, pointed at the kit.
 */
const verify = (dir: string, extra: string[] = [], trusted = false) =>
  trusted
    ? run(
        'dash',
        [join(repoRoot, 'installer/release/verify-release.sh'), '--kit', dir, '--ca', ca.certificate, ...extra],
        { cwd: work },
      )
    : run('dash', [join(dir, 'verify-release.sh'), '--ca', ca.certificate, ...extra], { cwd: work });

/** A copy of the kit to break (hard links, so each file that is changed is first made its own). */
function copyKit(name: string): string {
  const copy = join(work, name);
  rmSync(copy, { recursive: true, force: true });
  run('cp', ['-al', kit, copy]);
  return copy;
}

function flipByte(file: string): void {
  const bytes = readFileSync(file);
  const at = Math.floor(bytes.length / 2);
  bytes[at] = bytes[at]! ^ 0x01;
  rmSync(file);
  writeFileSync(file, bytes);
}

beforeAll(async () => {
  const conf = writeSofthsmConfig(join(work, 'softhsm'));
  process.env.SOFTHSM2_CONF = conf;
  await writeTokens(softhsmModulePath(), [{ ...token, objects: [] }]);
  env = { ...process.env, SOFTHSM2_CONF: conf, ENCLAVE_PIN: token.pin, ENCLAVE_DATA_DIR: join(work, 'no-data') };
  for (const name of ['ENCLAVE_BUILD_KIT', 'ELECTRON_OVERRIDE_DIST_PATH', 'SOURCE_DATE_EPOCH']) delete env[name];
  ca = OpensslCa.root(join(work, 'ca'), '/CN=Enclave Release CA');
  const csr = join(work, 'release.csr');
  const cli = join(repoRoot, 'dist/node/cli.cjs');
  const tokenArgs = ['--module', softhsmModulePath(), '--token-label', token.label, '--key-label', 'release-2026'];
  const made = run(process.execPath, [
    cli,
    'release',
    'key',
    ...tokenArgs,
    '--subject',
    'CN=Enclave release 2026',
    '--csr-out',
    csr,
  ]);
  expect(made.stderr).toBe('');
  signer = ca.issue(csr, join(work, 'release-signer.pem'), 'codeSigning');
  const crl = ca.crl(join(work, 'release-ca.crl'));
  built = release(join(work, 'out'), ['--crl', crl, ...signArgs(signer)]);
  kit = join(work, 'out', version);
}, 600_000);

afterAll(() => {
  if (previousConf === undefined) delete process.env.SOFTHSM2_CONF;
  else process.env.SOFTHSM2_CONF = previousConf;
  rmSync(work, { recursive: true, force: true });
});

describe('npm run release', () => {
  it('builds a signed kit with every part the receiving site needs, and says what it could not build', () => {
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    const files = listFiles(kit);
    for (const part of [
      'app/app.asar',
      'app/app.asar.unpacked/node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node',
      'app/app.asar.unpacked/node_modules/pkcs11js/build/Release/pkcs11.node',
      'bin/enclave',
      'sbom.cdx.json',
      'THIRD-PARTY-LICENSES.txt',
      'RELEASE-NOTES.md',
      'release.json',
      'release-ca.crl',
      'verify-release.sh',
      'SHA256SUMS',
      'SHA384SUMS',
      'SHA256SUMS.cms',
    ]) {
      expect(files, part).toContain(part);
    }
    expect(built.stdout).toContain('signed: SHA256SUMS.cms');
    // No Electron distribution here: the packages are not built, and the missing files are named.
    expect(built.stdout).toMatch(
      /NOT BUILT: [^\n]*\n( {2}.*\n)* {2}electron-v\d+\.\d+\.\d+-linux-x64\.zip is missing: put it at /,
    );
    const manifest = JSON.parse(readFileSync(join(kit, 'release.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ format: 'enclave-release/1', version, build: 'dist/ as found (--no-build)' });
    expect((manifest.missing as { file: string }[]).map((m) => m.file)).toContain(
      `electron-v${(manifest.electron as string) ?? ''}-linux-x64.zip`,
    );
    expect(readFileSync(join(kit, 'RELEASE-NOTES.md'), 'utf8')).toMatch(
      new RegExp(`^# Enclave ${version.replace(/\./g, '\\.')}`),
    );
    expect(existsSync(join(work, 'out', `enclave-${version}.tar`))).toBe(true);
    expect(readdirSync(join(work, 'out')).filter((name) => name.startsWith('.build-'))).toEqual([]);
  });

  it('writes checksums sha256sum itself accepts, covering every file but the signature', () => {
    const checked = run('sha256sum', ['--strict', '-c', 'SHA256SUMS'], { cwd: kit });
    expect(checked.code).toBe(0);
    const listed = readFileSync(join(kit, 'SHA256SUMS'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.slice(66));
    expect(listed.sort()).toEqual(listFiles(kit).filter((f) => f !== 'SHA256SUMS' && f !== 'SHA256SUMS.cms'));
  });

  it('has an SBOM listing every production dependency (npm ls --omit=dev) with version and licence', () => {
    const sbom = JSON.parse(readFileSync(join(kit, 'sbom.cdx.json'), 'utf8')) as {
      specVersion: string;
      components: {
        group?: string;
        name: string;
        version: string;
        licenses?: unknown[];
        properties?: { name: string; value: string }[];
      }[];
    };
    expect(sbom.specVersion).toBe('1.6');
    const byName = new Map(sbom.components.map((c) => [`${c.group ? `${c.group}/` : ''}${c.name}@${c.version}`, c]));
    const production = [...npmLsProductionPackages(repoRoot)];
    expect(production.length).toBeGreaterThan(30);
    for (const pkg of production) {
      expect(byName.has(pkg), pkg).toBe(true);
      expect(byName.get(pkg)!.licenses?.length, `${pkg} licence`).toBeGreaterThan(0);
    }
    // What the SBOM calls packaged is exactly what the payload ships in node_modules.
    const packaged = sbom.components
      .filter((c) => c.properties?.some((p) => p.name === 'enclave:packaging' && p.value === 'packaged'))
      .map((c) => c.name)
      .sort();
    expect(packaged).toEqual(Object.keys(RUNTIME_MODULES).sort());
  });
});

describe('verify-release.sh on the kit', () => {
  it('passes, one line per check, with only openssl, sha256sum and dash', () => {
    // The site runs the copy it holds; the kit carries the same bytes for it to compare.
    expect(
      readFileSync(join(kit, 'verify-release.sh')).equals(
        readFileSync(join(repoRoot, 'installer/release/verify-release.sh')),
      ),
    ).toBe(true);
    const result = verify(kit, [], true);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    for (const check of ['tools', 'release CA', 'CRL', 'signature', 'certificate', 'sha384', 'unlisted', 'sbom']) {
      expect(
        lines.some((line) => line.startsWith(`ok    ${check}:`)),
        check,
      ).toBe(true);
    }
    expect(lines.filter((line) => line.startsWith('ok    checksum: ')).length).toBe(
      readFileSync(join(kit, 'SHA256SUMS'), 'utf8').trim().split('\n').length,
    );
    expect(lines.at(-1)).toMatch(new RegExp(`^verified: Enclave ${version.replace(/\./g, '\\.')}`));
  });

  it('fails, naming the file, after one byte of any file of the kit is changed', () => {
    const files = listFiles(kit);
    expect(files.length).toBeGreaterThanOrEqual(14);
    for (const file of files) {
      const copy = copyKit('flipped');
      flipByte(join(copy, file));
      // The site's own copy of the verifier, since the kit's copy may be the file that was changed.
      const result = verify(copy, [], true);
      expect(result.code, file).not.toBe(0);
      const failed = result.stdout.split('\n').filter((line) => line.startsWith('FAIL  '));
      expect(failed.join('\n'), file).toContain(file);
      expect(result.stdout).not.toMatch(/^verified:/m);
    }
  }, 600_000);

  it('fails when the signature is replaced by a valid one from another key', () => {
    const other = OpensslCa.root(join(work, 'other-ca'), '/CN=Someone Else');
    mkdirSync(join(work, 'other-signer'));
    const key = other.issueSoftwareKey(join(work, 'other-signer'), 'other', '/CN=Not the release key', 'codeSigning');
    const copy = copyKit('resigned');
    rmSync(join(copy, 'SHA256SUMS.cms'));
    const signed = run('openssl', [
      'cms',
      '-sign',
      '-binary',
      '-md',
      'sha384',
      '-outform',
      'DER',
      '-in',
      join(copy, 'SHA256SUMS'),
      '-signer',
      key.certificate,
      '-inkey',
      key.key,
      '-out',
      join(copy, 'SHA256SUMS.cms'),
    ]);
    expect(signed.code).toBe(0);
    const result = verify(copy);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toMatch(/^FAIL {2}(signature|certificate): .*SHA256SUMS\.cms/m);
  });

  it('fails when the release certificate is revoked by the CRL carried in the kit', () => {
    ca.revoke(signer);
    const revokedCrl = ca.crl(join(work, 'revoked.crl'));
    const out = join(work, 'out-revoked');
    const rebuilt = release(out, ['--crl', revokedCrl, ...signArgs(signer)]);
    expect(rebuilt.code).toBe(0);
    const result = verify(join(out, version));
    expect(result.code).not.toBe(0);
    expect(result.stdout).toMatch(/^FAIL {2}certificate: .*revoked/m);
    // The good kit, checked against the site's newer CRL, fails the same way.
    const withSiteCrl = verify(kit, ['--crl', revokedCrl]);
    expect(withSiteCrl.code).not.toBe(0);
    expect(withSiteCrl.stdout).toMatch(/revoked/);
  });
});

describe('the kit as an app update', () => {
  it('its tar installs through the app-release applier as versions/<version>, file for file', async () => {
    const tar = readFileSync(join(work, 'out', `enclave-${version}.tar`));
    const installRoot = join(work, 'install');
    mkdirSync(installRoot);
    const outcome = await applyAppRelease(installRoot, releaseTarget(version, tar));
    expect(outcome).toMatchObject({ kind: 'app-release', result: 'staged' });
    const installed = join(installRoot, 'versions', version);
    expect(listFiles(installed)).toEqual(listFiles(kit));
    for (const file of listFiles(kit)) {
      expect(readFileSync(join(installed, file)).equals(readFileSync(join(kit, file))), file).toBe(true);
    }
    expect(run('sha256sum', ['--strict', '-c', 'SHA256SUMS'], { cwd: join(installRoot, 'current') }).code).toBe(0);
  });
});

describe('a release that cannot be built', () => {
  it('keeps the earlier kit and its tar together when the tar cannot be written', () => {
    const out = join(work, 'out-tar-fails');
    mkdirSync(join(out, version), { recursive: true });
    writeFileSync(join(out, version, 'marker'), 'the earlier kit');
    writeFileSync(join(out, `enclave-${version}.tar`), 'the earlier tar');
    const shims = join(work, 'failing-tar');
    mkdirSync(shims);
    writeFileSync(join(shims, 'tar'), '#!/bin/sh\necho "tar: simulated failure" >&2\nexit 2\n', { mode: 0o755 });
    const failed = run(process.execPath, [join(repoRoot, 'scripts/release.mjs'), '--no-build', '--out', out], {
      cwd: repoRoot,
      env: { ...env, PATH: `${shims}:${env.PATH ?? ''}` },
    });
    expect(failed.code).toBe(1);
    expect(readdirSync(out).sort()).toEqual([version, `enclave-${version}.tar`].sort());
    expect(readFileSync(join(out, version, 'marker'), 'utf8')).toBe('the earlier kit');
    expect(readFileSync(join(out, `enclave-${version}.tar`), 'utf8')).toBe('the earlier tar');
  });

  it('leaves the kit already there as it was and no half-built folder', () => {
    const out = join(work, 'out-keep');
    mkdirSync(join(out, version), { recursive: true });
    writeFileSync(join(out, version, 'marker'), 'the earlier kit');
    cpSync(join(out, version), join(work, 'keep-before'), { recursive: true });
    const failed = release(out, ['--crl', join(work, 'no-such.crl')]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^release: .*no-such\.crl/m);
    expect(readdirSync(out).sort()).toEqual([version]);
    expect(readFileSync(join(out, version, 'marker'), 'utf8')).toBe('the earlier kit');
  });
});
