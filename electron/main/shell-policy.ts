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
