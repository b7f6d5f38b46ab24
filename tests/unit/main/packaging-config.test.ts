import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/services';

const config = parse(readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8')) as {
  files: string[];
  asar: boolean;
  publish: unknown;
  electronFuses: Record<string, boolean>;
  linux: { executableName: string; extraFiles: { from: string; to: string }[] };
  win: { extraFiles: { from: string; to: string }[] };
  mac: { extraFiles: { from: string; to: string }[] };
};

describe('electron-builder.yml', () => {
  it('sets the Electron fuses a classified-network reviewer requires', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(config.asar).toBe(true);
    expect(config.publish).toBeNull();
  });

  it('packages the Electron app and its CLI, and never the browser host or the launcher', () => {
    const files = config.files.join('\n');
    expect(config.files).toEqual(
      expect.arrayContaining([
        'dist/node/electron-main.cjs',
        'dist/node/preload.cjs',
        'dist/node/service-worker.cjs',
        'dist/node/cli.cjs',
        'dist/node/engine-worker.cjs',
        'dist/renderer/**',
      ]),
    );
    expect(files).not.toMatch(/browser-host|start\.cjs|dist\/node\/\*\*/);
  });

  it('installs `enclave` next to the app, running the app binary in CLI mode on every platform', () => {
    const wrappers = { linux: 'enclave', win: 'enclave.cmd', mac: 'MacOS/enclave-cli' } as const;
    for (const [platform, to] of Object.entries(wrappers)) {
      const extra = config[platform as keyof typeof wrappers].extraFiles;
      // Linux also ships the launcher (installer/linux/enclave-launcher) beside it.
      const wrapper = extra.filter((file) => file.to === to);
      expect(wrapper, platform).toEqual([{ from: expect.stringMatching(/^installer\/cli\//), to }]);
      const script = readFileSync(join(repoRoot, wrapper[0]!.from), 'utf8');
      expect(script, platform).toContain('--enclave-cli');
    }
    expect(config.linux.executableName).toBe('enclave-app');
    expect(readFileSync(join(repoRoot, 'installer/cli/enclave'), 'utf8')).toMatch(
      /"\$here\/enclave-app" .*--enclave-cli "\$@"/,
    );
  });

  it('starts the app from the packaged Electron main bundle', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      main: string;
      dependencies: Record<string, string>;
    };
    expect(pkg.main).toBe('dist/node/electron-main.cjs');
    // Everything else is bundled: only native modules ship in node_modules.
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['better-sqlite3-multiple-ciphers', 'pkcs11js']);
  });
});

describe('preload bundle', () => {
  it('requires nothing but electron, as a sandboxed preload must', () => {
    const bundle = readFileSync(join(repoRoot, 'dist', 'node', 'preload.cjs'), 'utf8');
    const required = [...bundle.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(bundle).not.toMatch(/__filename|__dirname|process\.binding/);
    expect(bundle).toContain('exposeInMainWorld');
  });
});
