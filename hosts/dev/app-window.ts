import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OFFLINE_SWITCHES, webGpuSwitches } from '../chromium';

/**
 * The Chromium app window of `npm start`, in one 0700 runtime folder of the launcher's: the
 * profile, Chromium's temporary files, the X authority file and the launch page all live there,
 * so no other local account can read any of them.
 */
export interface AppWindowFiles {
  profile: string;
  tmp: string;
  launchPage: string;
}

/**
 * DevTools off for this profile: the `devtools.availability` preference (2 = disallowed, the value
 * of the DeveloperToolsAvailability policy) in the profile's own Preferences. This Chromium honours
 * it per profile (a managed policy file would be machine-wide): F12, Ctrl+Shift+I/J/C and the
 * context menu's Inspect do nothing, and no debugger may attach to the page.
 */
const NO_DEVTOOLS_PREFERENCES = { devtools: { availability: 2 } };

/**
 * Prepares the runtime folder (already made 0700 by the caller): the profile and temporary folder,
 * each 0700, and the launch page (0600). The launch page carries the host's one-time bootstrap URL,
 * so the secret never appears on Chromium's command line: Chromium is given the page's path only.
 */
export function prepareAppWindow(runtimeDir: string, bootstrapUrl: string, options: { devtools: boolean }) {
  const files: AppWindowFiles = {
    profile: join(runtimeDir, 'profile'),
    tmp: join(runtimeDir, 'tmp'),
    launchPage: join(runtimeDir, 'launch.html'),
  };
  mkdirSync(join(files.profile, 'Default'), { recursive: true, mode: 0o700 });
  mkdirSync(files.tmp, { mode: 0o700 });
  if (!options.devtools)
    writeFileSync(join(files.profile, 'Default', 'Preferences'), JSON.stringify(NO_DEVTOOLS_PREFERENCES), {
      mode: 0o600,
    });
  const target = bootstrapUrl.replace(/[^A-Za-z0-9:/._-]/g, '');
  writeFileSync(
    files.launchPage,
    `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=${target}"><title>Enclave</title>`,
    { mode: 0o600, flag: 'wx' },
  );
  return files;
}

/** Chromium's arguments for the app window: nothing secret, only paths. */
export function appWindowArgs(files: AppWindowFiles): string[] {
  return [
    `--app=${pathToFileURL(files.launchPage).href}`,
    `--user-data-dir=${files.profile}`,
    '--window-size=1280,860',
    // Keeps Chromium's "unsupported command-line flag" bar from covering the top banner.
    '--test-type',
    ...OFFLINE_SWITCHES,
    ...webGpuSwitches(),
  ];
}
