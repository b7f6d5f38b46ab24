// Bundles every Node-side entry point into dist/node/*.cjs: the Electron main process, the service
// worker, the browser host, the launcher and the CLI; and, separately, the sandboxed preload.
// Native modules and electron stay external.
// `--if-changed` (what `npm run enclave` uses) skips the build when no input changed since the last
// one (scripts/build-stamp.mjs).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { isUpToDate, writeStamp } from './build-stamp.mjs';
import { writeBundleInputs } from './bundle-inputs.mjs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const STAMP = 'dist/node/.inputs.json';

const common = {
  outdir: 'dist/node',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  metafile: true,
  external: ['electron', 'better-sqlite3-multiple-ciphers', 'pkcs11js', 'playwright-core'],
};

const entryPoints = {
  'electron-main': 'electron/main/main.ts',
  'service-worker': 'electron/worker/worker-entry.ts',
  'engine-worker': 'electron/services/engine/engine-worker.ts',
  'browser-host': 'hosts/browser/browser-host-main.ts',
  start: 'hosts/dev/start.ts',
  cli: 'hosts/cli/cli.ts',
};

const outputs = [...Object.keys(entryPoints), 'preload'].map((name) => `dist/node/${name}.cjs`);

if (process.argv.includes('--if-changed') && isUpToDate(STAMP, outputs)) process.exit(0);

const results = await Promise.all([
  build({
    ...common,
    entryPoints,
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

// What each shipped bundle is made of, for the release SBOM (scripts/release/sbom.mjs). The shipped ones
// are those electron-builder.yml packages; browser-host and start are development hosts that never ship.
const shipped = new Set(parse(readFileSync('electron-builder.yml', 'utf8')).files);
const shippedOutputs = {};
for (const result of results)
  for (const [output, { inputs }] of Object.entries(result.metafile.outputs))
    if (shipped.has(output)) shippedOutputs[output] = Object.keys(inputs);
writeBundleInputs('dist/meta/node-inputs.json', 'node', shippedOutputs, process.cwd());

// Every file esbuild read, and what shapes the build without being read by it.
const read = [
  'scripts/build-node.mjs',
  'scripts/build-stamp.mjs',
  'scripts/bundle-inputs.mjs',
  'package.json',
  'electron-builder.yml',
];
for (const result of results) read.push(...Object.keys(result.metafile.inputs));
writeStamp(STAMP, read);
