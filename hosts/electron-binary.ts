import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appRoot } from './app-paths';

export type ElectronBinary = { found: true; path: string } | { found: false; reason: string };

/**
 * Finds the Electron binary without triggering the electron package's download-on-require
 * (which would reach for the internet).
 */
export function findElectronBinary(): ElectronBinary {
  const packageDir = join(appRoot(), 'node_modules', 'electron');
  if (!existsSync(packageDir)) return { found: false, reason: 'the electron package is not installed (run npm ci)' };
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override ? join(override, relative) : join(packageDir, 'dist', relative);
  if (existsSync(binary)) return { found: true, path: binary };
  return {
    found: false,
    reason: override
      ? `ELECTRON_OVERRIDE_DIST_PATH is set but ${binary} does not exist`
      : `its binary is not in node_modules/electron/dist (the download needs the internet; set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron ${readElectronVersion()} to use one carried in by hand)`,
  };
}

export function readElectronVersion(): string {
  try {
    return (
      JSON.parse(readFileSync(join(appRoot(), 'node_modules', 'electron', 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
  } catch {
    return 'unknown';
  }
}
