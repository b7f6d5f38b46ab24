import { extractAll, getRawHeader, listPackage } from '@electron/asar';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNTIME_MODULES, stageApp, writeAppAsar } from '../../scripts/release/app-payload.mjs';

/**
 * The app payload of a release (issue 19): app.asar holds what the app runs and nothing else.
 * Built from the repository's dist/ (npm test builds it first), listed back out of the archive.
 */
const root = process.cwd();
const SOFTHSM = '/usr/lib/softhsm/libsofthsm2.so';
let work: string;
let asarFile: string;
let entries: string[];

/** What may be in app.asar: each entry must match one of these, and each of these must be there. */
const ALLOWED: { what: string; test: (path: string) => boolean; required: string[] }[] = [
  { what: 'the trimmed package.json', test: (p) => p === 'package.json', required: ['package.json'] },
  {
    what: 'the shipped Node bundles',
    test: (p) => /^dist\/node\/(electron-main|preload|service-worker|engine-worker|cli)\.cjs$/.test(p),
    required: [
      'dist/node/electron-main.cjs',
      'dist/node/preload.cjs',
      'dist/node/service-worker.cjs',
      'dist/node/cli.cjs',
    ],
  },
  {
    what: 'the renderer',
    test: (p) => p.startsWith('dist/renderer/') && !p.endsWith('.map'),
    required: ['dist/renderer/index.html', 'dist/renderer/print.html'],
  },
  {
    what: 'resources',
    test: (p) => p.startsWith('resources/'),
    required: ['resources/site-config.default.json', 'resources/consent-banner.txt'],
  },
  {
    what: 'the runtime native modules',
    test: (p) => Object.keys(RUNTIME_MODULES).some((name) => p.startsWith(`node_modules/${name}/`)),
    required: [
      'node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node',
      'node_modules/pkcs11js/build/Release/pkcs11.node',
      'node_modules/bindings/bindings.js',
    ],
  },
];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'enclave-payload-'));
  stageApp({ root, appDir: join(work, 'app') });
  asarFile = join(work, 'kit', 'app', 'app.asar');
  await writeAppAsar(join(work, 'app'), asarFile);
  entries = listPackage(asarFile, { isPack: false })
    .map((entry) =>
      entry
        .replace(/^[/\\]/, '')
        .split('\\')
        .join('/'),
    )
    .filter((entry) => !Object.hasOwn(directoryOf(entry), 'files'));
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The header node of one archive path (files have a size; folders have `files`). */
function directoryOf(path: string): Record<string, unknown> {
  let node = getRawHeader(asarFile).header as { files?: Record<string, unknown> };
  for (const part of path.split('/')) node = (node.files?.[part] ?? {}) as typeof node;
  return node as Record<string, unknown>;
}

describe('app.asar', () => {
  it('holds only what the app runs: every entry is of one allowed kind', () => {
    const stray = entries.filter((entry) => !ALLOWED.some(({ test }) => test(entry)));
    expect(stray).toEqual([]);
    expect(entries.length).toBeGreaterThan(40);
  });

  it('holds what the app needs to start', () => {
    for (const { what, required } of ALLOWED) {
      for (const path of required) expect(entries, `${what}: ${path}`).toContain(path);
    }
  });

  it('leaves out the browser host, the dev launcher, source maps, sources, tests and dev tooling', () => {
    const forbidden = entries.filter(
      (p) =>
        /browser-host|start\.cjs|\.map$|\.ts$|\.tsx$|^tests\/|^scripts\/|^hosts\/|^electron\/|^renderer\//.test(p) ||
        /^node_modules\/(electron|vite|vitest|playwright|esbuild|typescript|react|@cyclonedx)/.test(p) ||
        /prebuild-install|\/src\/|\/deps\/|binding\.gyp|test_extension/.test(p),
    );
    expect(forbidden).toEqual([]);
  });

  it('carries a package.json with no scripts or dev dependencies, naming the bundled main', () => {
    const pkg = JSON.parse(readFileSync(join(work, 'app', 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg.main).toBe('dist/node/electron-main.cjs');
    expect(pkg.scripts).toBeUndefined();
    expect(pkg.devDependencies).toBeUndefined();
    expect(Object.keys(pkg.dependencies as object).sort()).toEqual(['better-sqlite3-multiple-ciphers', 'pkcs11js']);
  });

  it('puts each native addon beside the archive, with the hash the archive records for it', () => {
    for (const path of ALLOWED[4]!.required.filter((p) => p.endsWith('.node'))) {
      const node = directoryOf(path) as { unpacked?: boolean; integrity?: { hash: string } };
      expect(node.unpacked, path).toBe(true);
      const bytes = readFileSync(join(`${asarFile}.unpacked`, path));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(node.integrity?.hash);
    }
  });

  it('is complete: the CLI extracted from it makes an encrypted store, and its pkcs11js opens a real PKCS#11 module', () => {
    const extracted = join(work, 'extracted');
    extractAll(asarFile, extracted);
    const cli = (args: string[], env: Record<string, string> = {}) =>
      execFileSync(
        process.execPath,
        [join(extracted, 'dist/node/cli.cjs'), '--data-dir', join(work, 'data'), ...args],
        {
          encoding: 'utf8',
          timeout: 60_000,
          env: { ...process.env, ...env },
        },
      );
    const created = cli(['db', 'init', '--site-name', 'Payload Test', '--system-high', 'SECRET']);
    const secret = /Recovery secret[^\n]*\n\s*([0-9A-Z]{4}(?:-[0-9A-Z]{4}){5,})/.exec(created)?.[1];
    expect(secret).toBeDefined();
    expect(cli(['db', 'status'], { ENCLAVE_RECOVERY_SECRET: secret! })).toMatch(/schema \d+, sqlcipher/);
    const probe = `const p = new (require('./node_modules/pkcs11js').PKCS11)(); p.load(${JSON.stringify(SOFTHSM)});
      p.C_Initialize(); process.stdout.write(p.C_GetInfo().manufacturerID.trim()); p.C_Finalize();`;
    const info = execFileSync(process.execPath, ['-e', probe], { cwd: extracted, encoding: 'utf8', timeout: 30_000 });
    expect(info).toMatch(/SoftHSM/);
  });

  it('is the same bytes when built again from the same files', async () => {
    const again = join(work, 'again.asar');
    stageApp({ root, appDir: join(work, 'app2') });
    await writeAppAsar(join(work, 'app2'), again);
    expect(readFileSync(again).equals(readFileSync(asarFile))).toBe(true);
  });
});
