import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { ServicePaths } from '../electron/services/context';

/**
 * The folder holding package.json, dist/ and resources/ (the repo, or the packaged app): the
 * nearest one above this file, which is dist/node/ when bundled and hosts/ when run from source.
 */
export function appRoot(): string {
  if (process.env.ENCLAVE_APP_ROOT) return process.env.ENCLAVE_APP_ROOT;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'resources'))) return dir;
    if (dirname(dir) === dir) return resolve(__dirname, '..', '..');
  }
}

export const rendererDir = () => join(appRoot(), 'dist', 'renderer');
export const nodeBundle = (name: string) => join(appRoot(), 'dist', 'node', name);
export const resourcesDir = () => join(appRoot(), 'resources');

/** ENCLAVE_DATA_DIR, else the XDG data folder. Electron uses its userData folder instead. */
export function defaultDataDir(): string {
  if (process.env.ENCLAVE_DATA_DIR) return resolve(process.env.ENCLAVE_DATA_DIR);
  const xdg = process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share');
  return join(xdg, 'enclave');
}

export function servicePaths(dataDir: string, resources: string = resourcesDir()): ServicePaths {
  return {
    dataDir,
    resourcesDir: resources,
    siteConfigPath: process.env.ENCLAVE_SITE_CONFIG
      ? resolve(process.env.ENCLAVE_SITE_CONFIG)
      : join(dataDir, 'site-config.json'),
  };
}
