import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
// @ts-expect-error: a plain ES module of the release scripts, without type declarations.
import { REPO_ROOT } from '../../../scripts/release/build-kit.mjs';
// @ts-expect-error: a plain ES module of the release scripts, without type declarations.
import { packagesConfig } from '../../../scripts/release/build-packages.mjs';

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const yml = parse(read('electron-builder.yml'));
const packageJson = JSON.parse(read('package.json'));
const SCRIPTS = ['installer/linux/after-install.sh', 'installer/linux/after-remove.sh', 'installer/linux/enclave-launcher', 'installer/cli/enclave'];

describe('electron-builder.yml: how Enclave installs', () => {
  it('never updates itself: nothing is published and no updater is a dependency', () => {
    expect(yml.publish).toBeNull();
    expect(Object.keys({ ...packageJson.dependencies, ...packageJson.devDependencies })).not.toContain('electron-updater');
    expect(yml.nsis.packElevateHelper).toBe(false);
  });

  it('installs per machine on Windows, with no per-user choice, and keeps the data on uninstall', () => {
    expect(yml.nsis).toMatchObject({ oneClick: false, perMachine: true, deleteAppDataOnUninstall: false });
    expect(existsSync(join(REPO_ROOT, yml.nsis.include))).toBe(true);
    expect(read(yml.nsis.include)).toContain('!macro customUnInstall');
  });

  it('makes the deb depend on the smart-card stack and keeps the libraries Electron needs', () => {
    expect(yml.deb.depends).toEqual(expect.arrayContaining(['pcscd', 'opensc']));
    // electron-builder's default list, which a `depends` of our own replaces.
    expect(yml.deb.depends).toEqual(
      expect.arrayContaining(['libgtk-3-0', 'libnotify4', 'libnss3', 'libxss1', 'libxtst6', 'xdg-utils', 'libatspi2.0-0', 'libuuid1', 'libsecret-1-0']),
    );
  });

  it("runs Enclave's own deb scripts, and ships the launcher and the CLI beside the binary", () => {
    expect(yml.deb.afterInstall).toBe('installer/linux/after-install.sh');
    expect(yml.deb.afterRemove).toBe('installer/linux/after-remove.sh');
    expect(yml.deb.desktop.entry.Exec).toBe('/opt/Enclave/enclave-launcher %U');
    expect(yml.linux.executableName).toBe('enclave-app');
    expect(yml.linux.extraFiles).toEqual(
      expect.arrayContaining([
        { from: 'installer/cli/enclave', to: 'enclave' },
        { from: 'installer/linux/enclave-launcher', to: 'enclave-launcher' },
      ]),
    );
    for (const script of SCRIPTS) expect(existsSync(join(REPO_ROOT, script)), script).toBe(true);
  });

  it("keeps the hardening fuses declared (buildPackages flips them in afterPack, before the install manifest is written)", () => {
    expect(yml.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it("has scripts electron-builder's template pass leaves as they are, and that reach no network", () => {
    // FpmTarget expands ${name} (letters only) in afterInstall/afterRemove and throws on unknown names.
    for (const script of ['installer/linux/after-install.sh', 'installer/linux/after-remove.sh', 'installer/linux/apparmor-profile']) {
      expect(read(script), script).not.toMatch(/\$\{[a-zA-Z]+\}|<%=/);
    }
    for (const script of [...SCRIPTS, 'installer/windows/installer.nsh']) {
      expect(read(script), script).not.toMatch(/https?:|curl|wget|NSISdl|inetc/);
    }
  });
});

describe('the build configuration buildPackages hands electron-builder', () => {
  const config = packagesConfig({
    appDir: '/kit/release/0.2.0/app',
    outDir: '/kit/release/0.2.0/packages',
    electronDist: '/kit/electron-v45.4.1-linux-x64.zip',
    version: '0.2.0',
    electronVersion: '45.4.1',
  });

  it('overrides only what the offline build needs', () => {
    expect(config).toMatchObject({
      electronVersion: '45.4.1',
      electronDist: '/kit/electron-v45.4.1-linux-x64.zip',
      npmRebuild: false,
      nodeGypRebuild: false,
      buildDependenciesFromSource: false,
      publish: null,
      electronFuses: null,
      extraMetadata: { version: '0.2.0' },
      directories: {
        app: '/kit/release/0.2.0/app',
        output: '/kit/release/0.2.0/packages',
        buildResources: join(REPO_ROOT, 'installer/build-resources'),
      },
    });
    expect(typeof config.afterPack).toBe('function');
    // Everything else is the yml's.
    expect(config.deb.depends).toEqual(yml.deb.depends);
    expect(config.nsis.perMachine).toBe(true);
    expect(config.toolsets).toEqual(yml.toolsets);
  });

  it("gives electron-builder absolute paths, since its project folder is the kit's app folder", () => {
    expect(config.deb.afterInstall).toBe(join(REPO_ROOT, 'installer/linux/after-install.sh'));
    expect(config.deb.afterRemove).toBe(join(REPO_ROOT, 'installer/linux/after-remove.sh'));
    expect(config.linux.extraFiles).toContainEqual({ from: join(REPO_ROOT, 'installer/cli/enclave'), to: 'enclave' });
    expect(config.nsis.include).toBe(join(REPO_ROOT, 'installer/windows/installer.nsh'));
  });

  it("passes electron-builder's own schema validation", async () => {
    const { createRequire } = await import('node:module');
    const require = createRequire(join(REPO_ROOT, 'package.json'));
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config');
    const { DebugLogger } = require('builder-util');
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });
});
