import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the release scripts, without type declarations.
import { REPO_ROOT, rebuildNatives } from '../../scripts/release/build-kit.mjs';
// @ts-expect-error: a plain ES module of the release scripts, without type declarations.
import { sha256OfFile } from '../../scripts/release/install-manifest.mjs';

// Electron's headers cannot be had here, so the mechanism is proven with the running Node's own
// headers packed the way a headers tarball is (node-vX.Y.Z/include/node/...): node-gyp builds from
// the tarball alone (--tarball, nothing downloaded), and the module it writes into the staged app
// folder loads in the Node it was built for. With Electron's tarball the same call targets ABI 140.
describe('rebuildNatives', () => {
  let dir: string;
  let headers: string;
  let appDir: string;
  const version = process.versions.node;
  const repoNative = join(REPO_ROOT, 'node_modules/pkcs11js/build/Release/pkcs11.node');

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'enclave-natives-test-'));
    const include = join(dirname(dirname(process.execPath)), 'include', 'node');
    mkdirSync(join(dir, `node-v${version}`, 'include'), { recursive: true });
    cpSync(include, join(dir, `node-v${version}`, 'include', 'node'), { recursive: true });
    headers = join(dir, `node-v${version}-headers.tar.gz`);
    expect(spawnSync('tar', ['czf', headers, '-C', dir, `node-v${version}`]).status).toBe(0);
    appDir = join(dir, 'app');
    const staged = join(appDir, 'node_modules', 'pkcs11js');
    mkdirSync(join(staged, 'build', 'Release'), { recursive: true });
    copyFileSync(join(REPO_ROOT, 'node_modules/pkcs11js/package.json'), join(staged, 'package.json'));
    writeFileSync(join(staged, 'build', 'Release', 'pkcs11.node'), 'a native module built for another ABI');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("rebuilds the staged app's copy from the headers tarball, leaving the repo's node_modules as it was", () => {
    const before = { sha256: sha256OfFile(repoNative), mtimeMs: statSync(repoNative).mtimeMs };
    const written = rebuildNatives({ appDir, headers, electronVersion: version, modules: ['pkcs11js'] });
    const staged = join(appDir, 'node_modules/pkcs11js/build/Release/pkcs11.node');
    expect(written).toEqual([
      { module: 'pkcs11js', file: 'node_modules/pkcs11js/build/Release/pkcs11.node', sha256: sha256OfFile(staged) },
    ]);
    // It is a real module for the target it was built for: it loads and exposes the PKCS#11 API.
    const loaded = createRequire(import.meta.url)(staged) as { PKCS11: unknown };
    expect(typeof loaded.PKCS11).toBe('function');
    expect({ sha256: sha256OfFile(repoNative), mtimeMs: statSync(repoNative).mtimeMs }).toEqual(before);
  });

  it('refuses a version that is not MAJOR.MINOR.PATCH, and headers that are not there', () => {
    expect(() => rebuildNatives({ appDir, headers, electronVersion: '45; rm -rf /', modules: ['pkcs11js'] })).toThrow(
      '"45; rm -rf /" is not a MAJOR.MINOR.PATCH version.',
    );
    expect(() =>
      rebuildNatives({ appDir, headers: join(dir, 'absent.tar.gz'), electronVersion: version, modules: ['pkcs11js'] }),
    ).toThrow(`The headers tarball ${join(dir, 'absent.tar.gz')} does not exist.`);
  });

  it('says node-gyp could not rebuild, naming the module, when the headers tarball is not one, and changes the staged copy not at all', () => {
    const bad = join(dir, 'not-headers.tar.gz');
    writeFileSync(bad, 'these are not headers');
    const staged = join(appDir, 'node_modules/pkcs11js/build/Release/pkcs11.node');
    const before = sha256OfFile(staged);
    expect(() => rebuildNatives({ appDir, headers: bad, electronVersion: version, modules: ['pkcs11js'] })).toThrow(
      new RegExp(`^node-gyp could not rebuild pkcs11js for Electron ${version.replace(/\./g, '\\.')}:`),
    );
    expect(sha256OfFile(staged)).toBe(before);
  });
});
