import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { contentSecurityPolicy, readStaticFile, securityHeaders } from '../../electron/main/web-content';
import { ReportPrintError } from './printable-document';

export interface PrintServer {
  /** The print page's address. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the built renderer's print page and its assets on 127.0.0.1, with the app's CSP and
 * headers (no connect-src: the page needs nothing from anywhere). The report itself never crosses
 * it: the printer hands the document to the page directly.
 */
export async function servePrintPage(rendererDir: string): Promise<PrintServer> {
  if (!existsSync(join(rendererDir, 'print.html')))
    throw new ReportPrintError(
      `The print page is not built (${join(rendererDir, 'print.html')} is missing): run npm run build.`,
    );
  const headers = securityHeaders(contentSecurityPolicy({ allowConnectSelf: false }));
  let expectedHost = '';
  const server: Server = createServer((req, res) => {
    const send = async () => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if ((req.method !== 'GET' && req.method !== 'HEAD') || req.headers.host !== expectedHost) {
        res.writeHead(req.method === 'GET' || req.method === 'HEAD' ? 403 : 405, headers);
        return res.end();
      }
      const file = await readStaticFile(rendererDir, path);
      if (!file) {
        res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
        return res.end('Not found');
      }
      res.writeHead(200, { ...headers, 'Content-Type': file.contentType, 'Content-Length': String(file.body.length) });
      res.end(req.method === 'HEAD' ? undefined : file.body);
    };
    send().catch(() => {
      if (!res.headersSent) res.writeHead(500, headers);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  expectedHost = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `http://${expectedHost}/print.html`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
