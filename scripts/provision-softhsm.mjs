// Provisions the PIV test tokens (SoftHSM2) and test PKI by hand: bundles the TypeScript fixture
// in tests/support/fixtures/piv with esbuild (as the test runner would compile it) and runs it.
// Usage: node scripts/provision-softhsm.mjs [--dir DIR]
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const outfile = 'dist/tools/provision-softhsm.mjs';
mkdirSync('dist/tools', { recursive: true });
await build({
  entryPoints: ['tests/support/fixtures/piv/cli.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  packages: 'external',
});
await import(pathToFileURL(outfile).href);
