import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPackage } from '@electron/asar';
// @ts-expect-error: a plain ES module of the release scripts, without type declarations.
import { buildPackages } from '../../scripts/release/build-kit.mjs';

// electron-builder itself, run the way buildPackages runs it on a release kit's app folder. The
// Electron zip cannot be had here, so the run is expected to stop there; what it shows is that
// electron-builder accepts the configuration, takes the kit's app.asar as a prepackaged app (its
// package.json read from inside the asar) and would fetch nothing before asking for Electron.
describe('buildPackages with electron-builder', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'enclave-packages-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("packs the kit's prepackaged app.asar and stops only at the missing Electron zip, naming it", async () => {
    mkdirSync(join(dir, 'src', 'dist', 'node'), { recursive: true });
    writeFileSync(
      join(dir, 'src', 'package.json'),
      JSON.stringify({
        name: 'enclave',
        version: '0.1.0',
        description: 'test',
        main: 'dist/node/electron-main.cjs',
        license: 'UNLICENSED',
      }),
    );
    writeFileSync(join(dir, 'src', 'dist', 'node', 'electron-main.cjs'), '');
    mkdirSync(join(dir, 'app'));
    await createPackage(join(dir, 'src'), join(dir, 'app', 'app.asar'));
    const absent = join(dir, 'kit', 'electron-v45.4.1-linux-x64.zip');
    const kit = {
      complete: true,
      platform: 'linux-x64',
      electronDist: absent,
      electronVersion: '45.4.1',
      builderCache: [],
      refused: [],
      missing: [],
      useSystemFpm: false,
    };
    const cacheBefore = process.env.ELECTRON_BUILDER_CACHE;
    await expect(
      buildPackages({ appDir: join(dir, 'app'), outDir: join(dir, 'out'), kit, version: '0.1.0' }),
    ).rejects.toThrow(`The specified electronDist does not exist: ${absent}.`);
    expect(process.env.ELECTRON_BUILDER_CACHE).toBe(cacheBefore);
  });

  it('refuses an app folder with a package.json, which electron-builder would pack anew', async () => {
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', 'app.asar'), '');
    writeFileSync(join(dir, 'app', 'package.json'), '{}');
    const kit = {
      complete: true,
      platform: 'linux-x64',
      electronDist: '/x.zip',
      electronVersion: '45.4.1',
      builderCache: [],
      refused: [],
      missing: [],
      useSystemFpm: false,
    };
    await expect(
      buildPackages({ appDir: join(dir, 'app'), outDir: join(dir, 'out'), kit, version: '0.1.0' }),
    ).rejects.toThrow(
      `${join(dir, 'app')} holds a package.json: electron-builder would pack a new app.asar instead of installing the kit's own.`,
    );
  });
});
