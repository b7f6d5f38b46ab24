/**
 * Pure decisions of the Electron shell, kept free of the electron import so unit tests cover them
 * without the Electron binary.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'enclave';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/** The command-line flag that allows devtools, honoured only in unpackaged (developer) builds. */
export const DEVTOOLS_FLAG = '--enclave-devtools';

export function devtoolsAllowed(argv: readonly string[], isPackaged: boolean): boolean {
  return !isPackaged && argv.includes(DEVTOOLS_FLAG);
}

/** The Chromium switch an argument names, lower-cased, or null: `--name`, `-name`, and `/name` on Windows. */
function switchName(arg: string, platform: string): string | null {
  const prefix = ['--', '-', ...(platform === 'win32' ? ['/'] : [])].find((p) => arg.startsWith(p));
  if (prefix === undefined || arg === '--') return null;
  return arg.slice(prefix.length).split('=')[0]!.toLowerCase();
}

/**
 * Chromium opens a DevTools endpoint for these (a port, a pipe, its address, who may use it), and
 * no Electron fuse turns them off. An unpackaged developer build may use them.
 */
const REMOTE_DEBUGGING = /^(remote-debugging-|remote-allow-origins$)/;

/**
 * Why a packaged build must not start with these arguments, or null when it may. Chromium's own
 * switch parsing is looser than any one spelling (one dash or two, any case on Windows, a value
 * after = or in the next argument), so any argument that names such a switch is refused, even
 * after a bare `--`: failing closed costs nothing here.
 */
export function remoteDebuggingRefusal(argv: readonly string[], isPackaged: boolean, platform: string): string | null {
  if (!isPackaged) return null;
  for (const arg of argv.slice(1)) {
    const name = switchName(arg, platform);
    if (name !== null && REMOTE_DEBUGGING.test(name))
      return (
        `Enclave does not start with --${name}: remote debugging would let another program ` +
        'read and drive the signed-in session. Start it without that option.'
      );
  }
  return null;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** Every request of every web contents passes here: only our own scheme (and devtools' when enabled). */
export function isAllowedRequestUrl(url: string, options: { devtools: boolean }): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  if (parsed.protocol === `${APP_SCHEME}:`) return parsed.host === APP_HOST;
  return options.devtools && parsed.protocol === 'devtools:';
}

/** IPC is answered only for the app's own top-level document. */
export function isTrustedSenderUrl(url: string): boolean {
  const parsed = parse(url);
  return parsed !== null && parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
}
