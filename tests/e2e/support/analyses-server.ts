import { build, type Plugin } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { contentSecurityPolicy, securityHeaders } from '../../../electron/main/web-content';

// The analyses harness page (./analyses-page.tsx) served from its own origin on 127.0.0.1, with
// the app's CSP and headers (electron/main/web-content.ts): Trusted Types enforced, the one policy
// allowed, workers from 'self' only. The engine worker (renderer/engine/cpu/worker.ts) is bundled
// as a module worker and served where the page's bundle says it is, as Vite's build does.
const root = fileURLToPath(new URL('../../..', import.meta.url));
const WORKER_PATH = '/assets/engine-worker.js';

/** Vite's `?worker&url`: the URL the worker's bundle is served at. */
const workerUrl: Plugin = {
  name: 'worker-url',
  setup(builder) {
    builder.onResolve({ filter: /\?worker&url$/ }, () => ({ path: 'engine-worker-url', namespace: 'worker-url' }));
    builder.onLoad({ filter: /.*/, namespace: 'worker-url' }, () => ({
      contents: `export default ${JSON.stringify(WORKER_PATH)};`,
      loader: 'js',
    }));
  },
};

async function bundles(): Promise<Record<string, { type: string; body: string }>> {
  const [page, worker] = await Promise.all([
    build({
      entryPoints: [`${root}tests/e2e/support/analyses-page.tsx`],
      bundle: true,
      format: 'iife',
      target: 'chrome130',
      jsx: 'automatic',
      define: { 'process.env.NODE_ENV': '"development"' },
      // uPlot's stylesheet comes out beside the script (nothing is written: write is false).
      outdir: 'analyses-page',
      write: false,
      logLevel: 'silent',
      plugins: [workerUrl],
    }),
    build({
      entryPoints: [`${root}renderer/engine/cpu/worker.ts`],
      bundle: true,
      format: 'esm',
      target: 'chrome130',
      write: false,
      logLevel: 'silent',
    }),
  ]);
  const output = (ext: string) => page.outputFiles.find((f) => f.path.endsWith(ext))!.text;
  const js = 'text/javascript; charset=utf-8';
  const css = 'text/css; charset=utf-8';
  return {
    '/analyses.html': {
      type: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="en"><head><title>Analyses</title><link rel="stylesheet" href="/uplot.css"><link rel="stylesheet" href="/app.css"><link rel="stylesheet" href="/harness.css"></head><body><div id="root"></div><script src="/analyses-page.js"></script></body></html>`,
    },
    '/analyses-page.js': { type: js, body: output('.js') },
    '/uplot.css': { type: css, body: output('.css') },
    '/app.css': { type: css, body: readFileSync(`${root}renderer/app/app.css`, 'utf8') },
    // The app scrolls its body between the banners; this page has none, so the document scrolls (and screenshots show it all).
    '/harness.css': { type: css, body: 'html, body, #root { height: auto; overflow: visible; }' },
    [WORKER_PATH]: { type: js, body: worker.outputFiles[0]!.text },
    // Chromium asks every origin for one; an empty icon rather than a 404 in the console.
    '/favicon.ico': { type: 'image/x-icon', body: '' },
  };
}

export interface AnalysesServer {
  /** The harness page's URL; `iterations` and `runs` (as query parameters) choose the runs it shows. */
  url(query?: { iterations?: number; runs?: number }): string;
  close(): Promise<void>;
}

export async function startAnalysesServer(): Promise<AnalysesServer> {
  const files = await bundles();
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
    url(query = {}) {
      const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
      return `http://127.0.0.1:${port}/analyses.html${search ? `?${search}` : ''}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
