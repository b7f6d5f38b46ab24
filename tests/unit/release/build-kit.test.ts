import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the release scripts, without type declarations.
import { buildPackages, describeKitProblems, findBuildKit, loadBuildKitManifest, REPO_ROOT } from '../../../scripts/release/build-kit.mjs';

const sha = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');
const V = '45.4.1';
const ZIP = `electron-v${V}-linux-x64.zip`;
const ZIP_SHA = 'e1d077c7a087d7e344350ea0c5cd2b7dc5af3d9bf7979474f38e0fc1a560b875';

describe('findBuildKit with the real manifest', () => {
  it('names every Linux kit file as missing when there is no kit, each with where it goes, its hash and what it is for', () => {
    const kit = findBuildKit({ env: {}, platform: 'linux-x64' });
    expect(kit.complete).toBe(false);
    expect(kit.present).toEqual([]);
    expect(kit.missing.map((m: { file: string }) => m.file).sort()).toEqual(
      [
        ZIP,
        `node-v${V}-headers.tar.gz`,
        `electron-v${V}-headers-SHASUMS256.txt`,
        '7zip-linux-x64.tar.gz',
        'fpm-1.17.0-ruby-3.4.3-linux-amd64.7z',
        'appimage-tools-runtime-20251108.tar.gz',
      ].sort(),
    );
    const zip = kit.missing.find((m: { file: string }) => m.file === ZIP);
    expect(zip).toMatchObject({ sha256: ZIP_SHA, expectedAt: `$ENCLAVE_BUILD_KIT/${ZIP} (or in the folder ELECTRON_OVERRIDE_DIST_PATH names)` });
    expect(zip.message).toBe(
      `${ZIP} is missing: put it at $ENCLAVE_BUILD_KIT/${ZIP} (or in the folder ELECTRON_OVERRIDE_DIST_PATH names); SHA-256 ${ZIP_SHA}; fetch it on a connected machine from https://github.com/electron/electron/releases/download/v${V}/${ZIP}; needed for the Electron binary the installer packages.`,
    );
    const fpm = kit.missing.find((m: { file: string }) => m.file.startsWith('fpm-'));
    expect(fpm.message).toBe(
      'fpm-1.17.0-ruby-3.4.3-linux-amd64.7z is missing: put it at $ENCLAVE_BUILD_KIT/fpm-1.17.0-ruby-3.4.3-linux-amd64.7z (or $ELECTRON_BUILDER_CACHE/fpm@2.1.4/fpm-1.17.0-ruby-3.4.3-linux-amd64.7z); SHA-256 44b0ec6025c14ec137f56180e62675c0eae36233cdce53d0953d9c73ced8989f; fetch it on a connected machine from https://github.com/electron-userland/electron-builder-binaries/releases/download/fpm@2.1.4/fpm-1.17.0-ruby-3.4.3-linux-amd64.7z; needed for building the deb.',
    );
    const headers = kit.missing.find((m: { file: string }) => m.file === `node-v${V}-headers.tar.gz`);
    expect(headers.message).toBe(
      `node-v${V}-headers.tar.gz is missing: put it at $ENCLAVE_BUILD_KIT/node-v${V}-headers.tar.gz (or the path ENCLAVE_ELECTRON_HEADERS names); its SHA-256 is listed in electron-v${V}-headers-SHASUMS256.txt; fetch it on a connected machine from https://artifacts.electronjs.org/headers/dist/v${V}/node-v${V}-headers.tar.gz; needed for rebuilding better-sqlite3-multiple-ciphers and pkcs11js for Electron 45 (ABI 140).`,
    );
    expect(describeKitProblems(kit)).toHaveLength(6);
  });

  it('is checked from the command line, which exits 1 and prints each problem while the kit is incomplete', () => {
    const result = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/release/build-kit.mjs'), 'linux-x64'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`PROBLEM  electron-v${V}-headers-SHASUMS256.txt is missing: put it at $ENCLAVE_BUILD_KIT/electron-v${V}-headers-SHASUMS256.txt (or beside the file ENCLAVE_ELECTRON_HEADERS names); no SHA-256 is published for it;`);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('The linux-x64 build kit is incomplete: no installer packages can be built.');
  });

  it('lists the Windows kit for a Windows build machine', () => {
    const kit = findBuildKit({ env: {}, platform: 'win32-x64' });
    expect(kit.missing.map((m: { file: string }) => m.file)).toEqual(
      expect.arrayContaining([`electron-v${V}-win32-x64.zip`, 'nsis-3.0.4.1.7z', 'nsis-resources-3.4.1.7z', 'winCodeSign-2.6.0.7z', `electron-v${V}-win-x64-node.lib`]),
    );
  });
});

describe('findBuildKit against files on disk', () => {
  let dir: string;
  let kitDir: string;
  const manifestPath = () => join(dir, 'build-kit.json');
  const writeManifest = (files: object[]) =>
    writeFileSync(manifestPath(), JSON.stringify({ format: 'enclave-build-kit/1', electronVersion: '1.2.3', electronBuilderVersion: '26.17.0', files }));
  const entry = (over: object) => ({
    platforms: ['linux-x64'],
    source: 'https://example.invalid/x',
    sha256From: 'the test',
    env: 'ELECTRON_BUILDER_CACHE',
    usedAs: 'a test',
    needFor: 'the test build',
    ...over,
  });
  const find = (env: Record<string, string>) => findBuildKit({ root: dir, env, platform: 'linux-x64', manifestPath: manifestPath() });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'enclave-kit-'));
    kitDir = join(dir, 'kit');
    mkdirSync(kitDir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts a file whose SHA-256 matches the manifest, and reports where it is', () => {
    writeFileSync(join(kitDir, 'tool.tar.gz'), 'the right bytes');
    writeManifest([entry({ file: 'tool.tar.gz', kind: 'builder-binary', releaseName: 'tool@1.0.0', sha256: sha('the right bytes') })]);
    const kit = find({ ENCLAVE_BUILD_KIT: 'kit' });
    expect(kit.complete).toBe(true);
    expect(kit.present).toHaveLength(1);
    expect(kit.present[0]).toMatchObject({ file: 'tool.tar.gz', path: join(kitDir, 'tool.tar.gz'), sha256: sha('the right bytes'), verifiedBy: 'the test' });
    expect(kit.builderCache).toEqual([{ releaseName: 'tool@1.0.0', file: 'tool.tar.gz', path: join(kitDir, 'tool.tar.gz') }]);
  });

  it('refuses a file with other bytes, naming the file, the expected and the actual SHA-256', () => {
    writeFileSync(join(kitDir, 'tool.tar.gz'), 'the wrong bytes');
    writeManifest([entry({ file: 'tool.tar.gz', kind: 'builder-binary', releaseName: 'tool@1.0.0', sha256: sha('the right bytes') })]);
    const kit = find({ ENCLAVE_BUILD_KIT: 'kit' });
    expect(kit.complete).toBe(false);
    expect(kit.present).toEqual([]);
    expect(kit.refused).toEqual([
      {
        file: 'tool.tar.gz',
        path: join(kitDir, 'tool.tar.gz'),
        reason: `tool.tar.gz at ${join(kitDir, 'tool.tar.gz')} is refused: its SHA-256 is ${sha('the wrong bytes')}, the build kit expects ${sha('the right bytes')} (the test). Fetch it again from https://example.invalid/x.`,
      },
    ]);
  });

  it("finds a builder binary in electron-builder's cache layout (ELECTRON_BUILDER_CACHE/<release>/<file>)", () => {
    mkdirSync(join(dir, 'cache', 'tool@1.0.0'), { recursive: true });
    writeFileSync(join(dir, 'cache', 'tool@1.0.0', 'tool.tar.gz'), 'bytes');
    writeManifest([entry({ file: 'tool.tar.gz', kind: 'builder-binary', releaseName: 'tool@1.0.0', sha256: sha('bytes') })]);
    const kit = find({ ELECTRON_BUILDER_CACHE: join(dir, 'cache') });
    expect(kit.complete).toBe(true);
    expect(kit.present[0].path).toBe(join(dir, 'cache', 'tool@1.0.0', 'tool.tar.gz'));
  });

  it('finds the Electron zip in the folder ELECTRON_OVERRIDE_DIST_PATH names, and refuses an unpacked Electron there', () => {
    const zip = 'electron-v1.2.3-linux-x64.zip';
    writeManifest([entry({ file: zip, kind: 'electron', env: 'ELECTRON_OVERRIDE_DIST_PATH', sha256: sha('zip bytes') })]);
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', zip), 'zip bytes');
    const kit = find({ ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'dist') });
    expect(kit.complete).toBe(true);
    expect(kit.electronDist).toBe(join(dir, 'dist', zip));

    mkdirSync(join(dir, 'unpacked'));
    writeFileSync(join(dir, 'unpacked', 'electron'), 'a binary');
    const unpacked = find({ ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'unpacked') });
    expect(unpacked.complete).toBe(false);
    expect(unpacked.refused[0].reason).toBe(
      `ELECTRON_OVERRIDE_DIST_PATH names ${join(dir, 'unpacked')}, which does not hold ${zip}: an unpacked Electron cannot be checked against checksums.json; put the zip there.`,
    );
  });

  describe('the headers, checked against the SHASUMS256.txt carried beside them', () => {
    const tarball = 'node-v1.2.3-headers.tar.gz';
    const sums = 'electron-v1.2.3-headers-SHASUMS256.txt';
    beforeEach(() =>
      writeManifest([
        entry({ file: sums, kind: 'headers-sums', env: 'ENCLAVE_ELECTRON_HEADERS', sha256: null }),
        entry({ file: tarball, kind: 'headers', env: 'ENCLAVE_ELECTRON_HEADERS', sha256: null, listedIn: sums, listedAs: tarball }),
      ]),
    );

    it('accepts the tarball ENCLAVE_ELECTRON_HEADERS names when its SHASUMS256.txt lists its hash', () => {
      mkdirSync(join(dir, 'h'));
      writeFileSync(join(dir, 'h', 'headers.tgz'), 'header bytes');
      writeFileSync(join(dir, 'h', sums), `${'0'.repeat(64)}  iojs-v1.2.3.tar.gz\n${sha('header bytes')}  ${tarball}\n`);
      const kit = find({ ENCLAVE_ELECTRON_HEADERS: join(dir, 'h', 'headers.tgz') });
      expect(kit.complete).toBe(true);
      expect(kit.headers).toBe(join(dir, 'h', 'headers.tgz'));
      expect(kit.present.find((p: { file: string }) => p.file === tarball).verifiedBy).toBe(
        `${sums} (carried beside it; Electron publishes no hash for the headers in checksums.json)`,
      );
    });

    it('refuses a tarball whose hash differs from the listed one', () => {
      writeFileSync(join(kitDir, tarball), 'tampered');
      writeFileSync(join(kitDir, sums), `${sha('header bytes')}  ${tarball}\n`);
      const kit = find({ ENCLAVE_BUILD_KIT: kitDir });
      expect(kit.refused.map((r: { reason: string }) => r.reason)).toEqual([
        `${tarball} at ${join(kitDir, tarball)} is refused: its SHA-256 is ${sha('tampered')}, the build kit expects ${sha('header bytes')} (${sums} (carried beside it; Electron publishes no hash for the headers in checksums.json)). Fetch it again from https://example.invalid/x.`,
      ]);
    });

    it('refuses the tarball when its SHASUMS256.txt is not there to check it', () => {
      writeFileSync(join(kitDir, tarball), 'header bytes');
      const kit = find({ ENCLAVE_BUILD_KIT: kitDir });
      expect(kit.missing.map((m: { file: string }) => m.file)).toEqual([sums]);
      expect(kit.refused[0].reason).toBe(`${tarball} at ${join(kitDir, tarball)} cannot be checked: ${sums}, which lists its SHA-256, is not in the kit.`);
    });

    it('refuses extracted headers named by npm_config_nodedir, which nothing can check', () => {
      mkdirSync(join(dir, 'nodedir'));
      const kit = find({ npm_config_nodedir: join(dir, 'nodedir') });
      expect(kit.refused[0].reason).toBe(
        `npm_config_nodedir names the folder ${join(dir, 'nodedir')}: extracted headers cannot be checked against SHASUMS256.txt; set ENCLAVE_ELECTRON_HEADERS to ${tarball} instead.`,
      );
    });
  });

  describe('USE_SYSTEM_FPM', () => {
    beforeEach(() =>
      writeManifest([
        entry({ file: 'fpm.7z', kind: 'builder-binary', releaseName: 'fpm@2.1.4', sha256: sha('fpm'), notWith: 'USE_SYSTEM_FPM' }),
        entry({ file: '7zip.tar.gz', kind: 'builder-binary', releaseName: '7zip@1.0.0', sha256: sha('7z'), notWith: 'USE_SYSTEM_FPM' }),
      ]),
    );

    it("uses the system fpm on PATH instead of the kit's bundle, and says it is not hash-checked", () => {
      mkdirSync(join(dir, 'bin'));
      writeFileSync(join(dir, 'bin', 'fpm'), '#!/bin/sh\n');
      chmodSync(join(dir, 'bin', 'fpm'), 0o755);
      const kit = find({ USE_SYSTEM_FPM: 'true', PATH: join(dir, 'bin') });
      expect(kit.complete).toBe(true);
      expect(kit.useSystemFpm).toBe(true);
      expect(kit.systemTools).toEqual([
        { file: 'fpm', path: join(dir, 'bin', 'fpm'), note: 'USE_SYSTEM_FPM=true: the system fpm is used, not hash-checked here (its package manager vouches for it)' },
      ]);
    });

    it('says so when USE_SYSTEM_FPM is set but no fpm is on PATH', () => {
      const kit = find({ USE_SYSTEM_FPM: 'true', PATH: join(dir, 'nowhere') });
      expect(kit.complete).toBe(false);
      expect(kit.missing[0].message).toBe(
        'USE_SYSTEM_FPM=true but no fpm is on PATH: install fpm, or unset USE_SYSTEM_FPM and carry fpm.7z in the kit; needed for the test build.',
      );
    });
  });

  it('refuses a manifest that is not a build-kit manifest, or too large, or pins a malformed hash', () => {
    writeFileSync(manifestPath(), JSON.stringify({ format: 'something-else', files: [] }));
    expect(() => loadBuildKitManifest(manifestPath())).toThrow(`${manifestPath()} is not an enclave-build-kit/1 manifest (format "something-else").`);
    writeFileSync(manifestPath(), ' '.repeat((1 << 20) + 1));
    expect(() => loadBuildKitManifest(manifestPath())).toThrow(`${manifestPath()} is ${(1 << 20) + 1} bytes; a build-kit manifest is at most 1 MiB.`);
    writeManifest([entry({ file: 'x.7z', kind: 'builder-binary', releaseName: 'x@1', sha256: 'ABC' })]);
    expect(() => loadBuildKitManifest(manifestPath())).toThrow(`${manifestPath()}: files[0] (x.7z): sha256 must be 64 lowercase hex digits or null.`);
    writeManifest([entry({ file: '../escape.7z', kind: 'builder-binary', releaseName: 'x@1', sha256: sha('x') })]);
    expect(() => loadBuildKitManifest(manifestPath())).toThrow(`${manifestPath()}: files[0] has no plain file name.`);
  });

  it('builds no packages from an incomplete kit, naming each missing file', async () => {
    const kit = findBuildKit({ env: {}, platform: 'linux-x64' });
    await expect(buildPackages({ appDir: dir, outDir: join(dir, 'out'), kit, version: '0.1.0' })).rejects.toThrow(
      /^The offline build kit is incomplete; no packages were built:\nelectron-v45\.4\.1-headers-SHASUMS256\.txt is missing: .*\nelectron-v45\.4\.1-linux-x64\.zip is missing: /,
    );
  });
});
