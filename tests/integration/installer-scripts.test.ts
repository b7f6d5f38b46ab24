import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the release scripts, without type declarations.
import { REPO_ROOT } from '../../scripts/release/build-kit.mjs';
// @ts-expect-error: a plain ES module of the release scripts, without type declarations.
import { INSTALL_MANIFEST, writeInstallManifest } from '../../scripts/release/install-manifest.mjs';

const AFTER_INSTALL = join(REPO_ROOT, 'installer/linux/after-install.sh');
const AFTER_REMOVE = join(REPO_ROOT, 'installer/linux/after-remove.sh');

// The deb's scripts, run with sh against an install tree staged the way the package lays it out
// (/opt/Enclave), under a temporary prefix. enclave-app here is a small script that prints how it
// was started: the Electron binary itself cannot be had on this machine.
describe('the deb scripts and launchers on a staged install', () => {
  let dir: string;
  let prefix: string;
  let bin: string;
  let home: string;

  const run = (script: string, args: string[], env: Record<string, string> = {}) =>
    spawnSync('sh', [script, ...args], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: home, ENCLAVE_PREFIX: prefix, ENCLAVE_BIN_DIR: bin, ...env },
    });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'enclave-install-'));
    prefix = join(dir, 'opt', 'Enclave');
    bin = join(dir, 'usr', 'bin');
    home = join(dir, 'home', 'analyst');
    mkdirSync(join(prefix, 'resources', 'app.asar.unpacked', 'node_modules', 'pkcs11js', 'build', 'Release'), {
      recursive: true,
    });
    writeFileSync(
      join(prefix, 'enclave-app'),
      '#!/bin/sh\necho "root=${ENCLAVE_INSTALL_ROOT:-none}"\nfor a in "$@"; do echo "arg=$a"; done\n',
    );
    chmodSync(join(prefix, 'enclave-app'), 0o755);
    for (const [from, to] of [
      ['installer/cli/enclave', 'enclave'],
      ['installer/linux/enclave-launcher', 'enclave-launcher'],
      ['installer/linux/apparmor-profile', 'resources/apparmor-profile'],
    ] as const) {
      copyFileSync(join(REPO_ROOT, from), join(prefix, to));
      chmodSync(join(prefix, to), 0o755);
    }
    writeFileSync(join(prefix, 'chrome-sandbox'), 'sandbox helper');
    writeFileSync(join(prefix, 'resources', 'app.asar'), Buffer.from('asar archive bytes '.repeat(100)));
    writeFileSync(
      join(prefix, 'resources', 'app.asar.unpacked', 'node_modules', 'pkcs11js', 'build', 'Release', 'pkcs11.node'),
      'native',
    );
    expect(writeInstallManifest(prefix)).toBe(7);
    mkdirSync(join(home, '.local', 'share', 'enclave'), { recursive: true });
    writeFileSync(join(home, '.local', 'share', 'enclave', 'enclave.db'), 'the encrypted store');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("writes a manifest sha256sum can check: every file's hash, sorted, paths relative to the prefix", () => {
    const lines = readFileSync(join(prefix, INSTALL_MANIFEST), 'utf8').trimEnd().split('\n');
    expect(lines.map((line) => line.slice(66))).toEqual([
      './chrome-sandbox',
      './enclave',
      './enclave-app',
      './enclave-launcher',
      './resources/app.asar',
      './resources/app.asar.unpacked/node_modules/pkcs11js/build/Release/pkcs11.node',
      './resources/apparmor-profile',
    ]);
    expect(spawnSync('sha256sum', ['--strict', '-c', INSTALL_MANIFEST], { cwd: prefix }).status).toBe(0);
  });

  it('verifies the installed files, then puts the CLI on the PATH', () => {
    const result = run(AFTER_INSTALL, ['configure']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Enclave: 7 installed files match ${prefix}/${INSTALL_MANIFEST}`);
    expect(readlinkSync(join(bin, 'enclave'))).toBe(join(prefix, 'enclave'));
    // The CLI on the PATH runs the app's binary in CLI mode, through the link.
    const cli = spawnSync(join(bin, 'enclave'), ['version'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(cli.stdout).toBe('root=none\narg=--ozone-platform=headless\narg=--enclave-cli\narg=version\n');
  });

  it('fails the install loudly, naming the file, when one byte of an installed file changed', () => {
    const asar = join(prefix, 'resources', 'app.asar');
    const bytes = readFileSync(asar);
    bytes[10] = bytes[10]! ^ 1;
    writeFileSync(asar, bytes);
    const result = run(AFTER_INSTALL, ['configure']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('./resources/app.asar: FAILED');
    expect(result.stderr).toContain(
      `Enclave install verification FAILED: files under ${prefix} differ from ${prefix}/${INSTALL_MANIFEST} (listed above)`,
    );
    expect(existsSync(join(bin, 'enclave'))).toBe(false);
  });

  it('fails the install when a file the manifest does not list is in the install', () => {
    writeFileSync(join(prefix, 'resources', 'libplanted.so'), 'extra');
    const result = run(AFTER_INSTALL, ['configure']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('./resources/libplanted.so: not in the manifest');
    expect(result.stderr).toContain(
      `Enclave install verification FAILED: files under ${prefix} are not listed in ${prefix}/${INSTALL_MANIFEST}`,
    );
    expect(existsSync(join(bin, 'enclave'))).toBe(false);
  });

  it('fails the install when an installed file is missing, or the manifest is', () => {
    rmSync(join(prefix, 'enclave-launcher'));
    const missingFile = run(AFTER_INSTALL, ['configure']);
    expect(missingFile.status).toBe(1);
    expect(missingFile.stderr).toContain('./enclave-launcher: FAILED open or read');
    rmSync(join(prefix, INSTALL_MANIFEST));
    const noManifest = run(AFTER_INSTALL, ['configure']);
    expect(noManifest.status).toBe(1);
    expect(noManifest.stderr).toContain(
      `Enclave install verification FAILED: ${prefix}/${INSTALL_MANIFEST} is missing`,
    );
  });

  it('takes the CLI off the PATH on remove and on purge, and keeps the data directory', () => {
    for (const action of ['remove', 'purge']) {
      expect(run(AFTER_INSTALL, ['configure']).status).toBe(0);
      const result = run(AFTER_REMOVE, [action]);
      expect(result.status).toBe(0);
      expect(existsSync(join(bin, 'enclave'))).toBe(false);
      expect(result.stdout).toContain(`Enclave was removed (${action}). Its data was kept`);
      expect(readFileSync(join(home, '.local', 'share', 'enclave', 'enclave.db'), 'utf8')).toBe('the encrypted store');
    }
  });

  it('leaves the CLI link in place on an upgrade, and leaves alone a /usr/bin/enclave that is not ours', () => {
    expect(run(AFTER_INSTALL, ['configure']).status).toBe(0);
    expect(run(AFTER_REMOVE, ['upgrade', '0.2.0']).status).toBe(0);
    expect(readlinkSync(join(bin, 'enclave'))).toBe(join(prefix, 'enclave'));
    rmSync(join(bin, 'enclave'));
    symlinkSync('/usr/local/bin/site-enclave', join(bin, 'enclave'));
    expect(run(AFTER_REMOVE, ['remove']).status).toBe(0);
    expect(lstatSync(join(bin, 'enclave')).isSymbolicLink()).toBe(true);
  });

  describe('ENCLAVE_INSTALL_ROOT from the launcher and the CLI wrapper', () => {
    const start = (program: string, env: Record<string, string>) =>
      spawnSync(join(prefix, program), ['--flag'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });

    it('names the default install root when an install there has a current pointer', () => {
      const root = join(dir, 'var', 'lib', 'enclave');
      mkdirSync(join(root, 'versions', '0.1.0'), { recursive: true });
      symlinkSync('versions/0.1.0', join(root, 'current'));
      expect(start('enclave-launcher', { ENCLAVE_LAUNCHER_DEFAULT_ROOT: root }).stdout).toBe(
        `root=${root}\narg=--flag\n`,
      );
      expect(start('enclave', { ENCLAVE_LAUNCHER_DEFAULT_ROOT: root }).stdout).toBe(
        `root=${root}\narg=--ozone-platform=headless\narg=--enclave-cli\narg=--flag\n`,
      );
    });

    it('names none when there is no install there (app releases are then refused by the app, saying why)', () => {
      expect(start('enclave-launcher', { ENCLAVE_LAUNCHER_DEFAULT_ROOT: join(dir, 'nothing') }).stdout).toBe(
        'root=none\narg=--flag\n',
      );
    });

    it("keeps the caller's ENCLAVE_INSTALL_ROOT", () => {
      expect(start('enclave-launcher', { ENCLAVE_INSTALL_ROOT: '/srv/enclave' }).stdout).toBe(
        'root=/srv/enclave\narg=--flag\n',
      );
    });
  });
});
