import { app, type Session, type WebContents } from 'electron';
import { isAllowedRequestUrl } from './shell-policy';

/**
 * Locks a session down: no request leaves unless it is for app://enclave, no permission is ever
 * granted, no download starts, no spellcheck dictionary is fetched.
 */
export function hardenSession(session: Session, options: { devtools: boolean }): void {
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequestUrl(details.url, options) });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event) => event.preventDefault());
  session.setSpellCheckerEnabled(false);
  // Any dictionary request would be cancelled above anyway; point it at our own scheme.
  session.setSpellCheckerDictionaryDownloadURL('app://enclave/no-dictionaries/');
}

/** Applies to every web contents, present and future: no navigation, no new windows, no webviews. */
export function guardAllWebContents(options: { devtools: boolean }): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    if (!options.devtools) contents.on('devtools-opened', () => contents.closeDevTools());
  });
}
