import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

// The renderer: built to dist/renderer, served by app:// (Electron) or the browser host.
export default defineConfig({
  root: 'renderer',
  base: '/',
  plugins: [react()],
  define: { __ENCLAVE_VERSION__: JSON.stringify(pkg.version) },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: false,
    target: 'chrome130',
    // No inline scripts or data: URLs, so the strict CSP holds.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      // Two pages: the app, and the print page (print.html: a report laid out for printing, no bridge).
      input: {
        main: fileURLToPath(new URL('./renderer/index.html', import.meta.url)),
        print: fileURLToPath(new URL('./renderer/print.html', import.meta.url)),
      },
      output: {
        // zod and the page's zod settings (app/zod-config.ts: jitless, since the CSP forbids eval) in one
        // chunk, the settings right after zod: every chunk that builds a schema imports this one, so
        // no schema is built (and zod never probes for eval, a Trusted Types violation) before them.
        codeSplitting: { groups: [{ name: 'zod', test: /node_modules[\\/]zod[\\/]|app[\\/]zod-config\.ts$/ }] },
      },
    },
  },
  // The engine's Web Workers are module workers (new Worker(url, { type: 'module' })): ES format.
  worker: { format: 'es' },
});
