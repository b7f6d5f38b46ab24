import { protocol, type Session } from 'electron';
import { contentSecurityPolicy, readStaticFile, securityHeaders } from './web-content';
import { APP_HOST, APP_SCHEME } from './shell-policy';

/** Must run before `app.ready`: app:// is standard and secure, so the renderer gets a real origin. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, stream: false },
    },
  ]);
}

/** Serves dist/renderer under app://enclave/ with the strict CSP; anything else is a 404. */
export function serveRenderer(session: Session, rendererDir: string): void {
  const headers = securityHeaders(contentSecurityPolicy({ allowConnectSelf: false }));
  session.protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file =
      url.host === APP_HOST && request.method === 'GET' ? await readStaticFile(rendererDir, url.pathname) : null;
    if (!file) return new Response('Not found', { status: 404, headers: { ...headers, 'Content-Type': 'text/plain' } });
    return new Response(new Uint8Array(file.body), {
      status: 200,
      headers: { ...headers, 'Content-Type': file.contentType },
    });
  });
}
