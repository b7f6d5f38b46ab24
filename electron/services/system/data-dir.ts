import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ServicePaths } from '../context';

/**
 * The one data directory of the app, the CLI and the browser host alike: ENCLAVE_DATA_DIR, else the
 * platform's per-user data folder (XDG on Linux, Application Support on macOS, LocalAppData on
 * Windows). Electron's own userData folder is not used, so the CLI finds the app's store.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (env.ENCLAVE_DATA_DIR) return resolve(env.ENCLAVE_DATA_DIR);
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'Enclave');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Enclave');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'enclave');
}

/** Where the services find their data, resources and site configuration (ENCLAVE_SITE_CONFIG overrides the last). */
export function servicePathsFor(
  dataDir: string,
  resourcesDir: string,
  env: NodeJS.ProcessEnv = process.env,
): ServicePaths {
  return {
    dataDir,
    resourcesDir,
    siteConfigPath: env.ENCLAVE_SITE_CONFIG ? resolve(env.ENCLAVE_SITE_CONFIG) : join(dataDir, 'site-config.json'),
    ...(env.ENCLAVE_INSTALL_ROOT ? { installRoot: resolve(env.ENCLAVE_INSTALL_ROOT) } : {}),
  };
}

/**
 * Creates the data directory owner-only (0700), or closes an existing one to others: what is in it
 * (the store, its key file, the journal, the trust copy) is the user's alone. A directory the user
 * does not own is left as it is; the writes that need it say so.
 */
export function prepareDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
}

/** Proves the data directory exists (creating it owner-only) and takes a durable write. */
export function checkDataDirWritable(dataDir: string): { ok: boolean; detail: string } {
  const probe = join(dataDir, `.write-probe-${randomBytes(6).toString('hex')}`);
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const fd = openSync(probe, 'wx', 0o600);
    try {
      writeSync(fd, 'probe');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    unlinkSync(probe);
    return { ok: true, detail: `${dataDir} is writable` };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return { ok: false, detail: `${dataDir} is not writable (${code})` };
  }
}
