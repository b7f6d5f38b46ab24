// `npm run bench`: bundles each tests/bench/*.bench.ts with esbuild and runs it, printing its figures.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// The engine benchmark runs the real worker bundle.
execFileSync(process.execPath, ['scripts/build-node.mjs'], { stdio: 'inherit' });
const only = process.argv[2];
// The bundles run from a temporary folder, where an ES import of an external package finds no
// node_modules (NODE_PATH serves require() only): the report printer's import('playwright-core')
// is pointed at the package's own file.
const playwrightCore = import.meta.resolve('playwright-core');
const externalByUrl = {
  name: 'external-by-url',
  setup(builder) {
    builder.onResolve({ filter: /^playwright-core$/ }, () => ({ path: playwrightCore, external: true }));
  },
};
const out = mkdtempSync(join(tmpdir(), 'enclave-bench-build-'));
try {
  for (const file of readdirSync('tests/bench').filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)))) {
    const outfile = join(out, file.replace(/\.ts$/, '.mjs'));
    await build({
      entryPoints: [join('tests/bench', file)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['better-sqlite3-multiple-ciphers', 'pkcs11js', 'playwright-core'],
      define: { __ENCLAVE_VERSION__: JSON.stringify(pkg.version) },
      // ESM output (top-level await); native modules are loaded through createRequire.
      banner: {
        js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
      },
      logLevel: 'warning',
      plugins: [externalByUrl],
    });
    console.log(`== ${file}`);
    execFileSync(process.execPath, [outfile], {
      stdio: 'inherit',
      env: { ...process.env, NODE_PATH: join(process.cwd(), 'node_modules') },
    });
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
