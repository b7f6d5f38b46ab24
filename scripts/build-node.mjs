// Bundles every Node-side entry point into dist/node/*.cjs: the Electron main process, the service
// worker, the browser host, the launcher and the CLI; and, separately, the sandboxed preload.
// Native modules and electron stay external.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const common = {
  outdir: 'dist/node',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  external: ['electron', 'better-sqlite3-multiple-ciphers', 'pkcs11js', 'playwright-core'],
};

await Promise.all([
  build({
    ...common,
    entryPoints: {
      'electron-main': 'electron/main/main.ts',
      'service-worker': 'electron/worker/worker-entry.ts',
      'engine-worker': 'electron/services/engine/engine-worker.ts',
      'browser-host': 'hosts/browser/browser-host-main.ts',
      start: 'hosts/dev/start.ts',
      cli: 'hosts/cli/cli.ts',
    },
    define: { __ENCLAVE_VERSION__: JSON.stringify(pkg.version), 'import.meta.url': 'importMetaUrl' },
    // createRequire(import.meta.url) is how our TS loads native modules; give CJS bundles the same URL.
    banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  }),
  // A sandboxed preload may require('electron') and nothing else: no banner, no Node built-ins.
  build({
    ...common,
    entryPoints: { preload: 'electron/preload/preload.ts' },
    external: ['electron'],
    define: { __ENCLAVE_VERSION__: JSON.stringify(pkg.version) },
  }),
]);
