import { build } from 'esbuild';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { contentSecurityPolicy, securityHeaders } from '../../../electron/main/web-content';

// The report workbook harness page (./report-workbook-page.tsx) served from its own origin on
// 127.0.0.1 with the app's CSP and headers (electron/main/web-content.ts): no eval, Trusted Types
// required for scripts with only the engine's policy allowed. Bundled for the browser platform,
// so exceljs resolves to its browser bundle, as it does under Vite.
const entry = fileURLToPath(new URL('./report-workbook-page.tsx', import.meta.url));

export interface ReportWorkbookServer {
  url: string;
  close(): Promise<void>;
}

export async function startReportWorkbookServer(): Promise<ReportWorkbookServer> {
  const bundle = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome130',
    write: false,
    logLevel: 'silent',
  });
  const files: Record<string, { type: string; body: string }> = {
    '/report-workbook.html': {
      type: 'text/html; charset=utf-8',
      body: '<!doctype html><html lang="en"><head><title>Report workbook</title></head><body><div id="root">Building…</div><script src="/report-workbook-page.js"></script></body></html>',
    },
    '/report-workbook-page.js': { type: 'text/javascript; charset=utf-8', body: bundle.outputFiles[0]!.text },
    '/favicon.ico': { type: 'image/x-icon', body: '' },
  };
  const headers = securityHeaders(contentSecurityPolicy({ allowConnectSelf: false }));
  const server: Server = createServer((request, response) => {
    const file = files[new URL(request.url ?? '/', 'http://127.0.0.1').pathname];
    if (!file) {
      response.writeHead(404, headers).end();
      return;
    }
    response.writeHead(200, { ...headers, 'Content-Type': file.type }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/report-workbook.html`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
