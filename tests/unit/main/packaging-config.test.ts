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

  it('packages the Electron app and never the browser host, launcher or CLI', () => {
    const files = config.files.join('\n');
    expect(config.files).toEqual(
      expect.arrayContaining([
        'dist/node/electron-main.cjs',
        'dist/node/preload.cjs',
        'dist/node/service-worker.cjs',
        'dist/renderer/**',
      ]),
    );
    expect(files).not.toMatch(/browser-host|start\.cjs|cli\.cjs|dist\/node\/\*\*/);
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
