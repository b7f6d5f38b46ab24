import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { writeBundleInputs } from './scripts/bundle-inputs.mjs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

const projectRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * Records which modules and source assets make up the renderer (dist/meta/renderer-inputs.json) for the
 * release SBOM. The Web Workers are bundled by builds of their own (worker.plugins) that finish before
 * the page's bundle is generated, so one map collects both and the page's build writes it.
 */
function bundleInputs(): { page: Plugin; worker: Plugin } {
  const outputs: Record<string, string[]> = {};
  let viteRoot = projectRoot;
  const collect = (bundle: Record<string, { fileName: string }>): void => {
    for (const item of Object.values(bundle)) {
      // Chunks name their modules by absolute id; assets (fonts, images) by a path relative to vite's root.
      const ids =
        'moduleIds' in item
          ? (item.moduleIds as string[])
          : 'originalFileNames' in item
            ? (item.originalFileNames as string[]).map((name) => resolve(viteRoot, name))
            : [];
      const key = `dist/renderer/${item.fileName}`;
      outputs[key] = [...(outputs[key] ?? []), ...ids];
    }
  };
  return {
    worker: {
      name: 'enclave-bundle-inputs-worker',
      apply: 'build',
      generateBundle: (_options, bundle) => collect(bundle),
    },
    page: {
      name: 'enclave-bundle-inputs',
      apply: 'build',
      configResolved(config) {
        viteRoot = config.root;
      },
      generateBundle(_options, bundle) {
        collect(bundle);
        writeBundleInputs(resolve(projectRoot, 'dist/meta/renderer-inputs.json'), 'renderer', outputs, projectRoot);
      },
    },
  };
}
const inputs = bundleInputs();

// The renderer: built to dist/renderer, served by app:// (Electron) or the browser host.
export default defineConfig({
  root: 'renderer',
  base: '/',
  plugins: [react(), inputs.page],
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
  worker: { format: 'es', plugins: () => [inputs.worker] },
});
