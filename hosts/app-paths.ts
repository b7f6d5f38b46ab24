import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ServicePaths } from '../electron/services/context';
import { servicePathsFor } from '../electron/services/system/data-dir';

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

export { defaultDataDir } from '../electron/services/system/data-dir';

export function servicePaths(dataDir: string, resources: string = resourcesDir()): ServicePaths {
  return servicePathsFor(dataDir, resources);
}
