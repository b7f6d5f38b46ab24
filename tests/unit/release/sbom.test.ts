import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { declaredLicences } from '../../../scripts/release/package-licences.mjs';
import { type CdxComponent, sbomTimestamp, writeSbom } from '../../../scripts/release/sbom.mjs';
import { MIT_TEXT, makeFixtureProject } from './sbom-fixture';

// The SBOM step on small projects built on disk: cyclonedx-npm and the merge run for real on them.
const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

function project(...args: Parameters<typeof makeFixtureProject>): string {
  const root = makeFixtureProject(...args);
  roots.push(root);
  return root;
}

const sbomOf = (root: string) =>
  writeSbom({ root, outFile: join(root, 'out', 'sbom.cdx.json'), sourceDateEpoch: 1_700_000_000, version: '1.0.0' });
const packaging = (component: CdxComponent | undefined): string[] =>
  (component?.properties ?? []).filter((p) => p.name === 'enclave:packaging').map((p) => p.value);

const okLib = { dir: 'node_modules/@sc/ok', json: { name: '@sc/ok', version: '2.0.0', license: 'MIT' } };

describe('release SBOM on a fixture project', () => {
  it('refuses a production package that declares no licence, naming it', async () => {
    const root = project({
      dependencies: { nolicence: '1.0.0', '@sc/ok': '2.0.0' },
      packages: [okLib, { dir: 'node_modules/nolicence', json: { name: 'nolicence', version: '1.0.0' } }],
    });
    await expect(sbomOf(root)).rejects.toThrow(/SBOM refused: nolicence@1\.0\.0 \(node_modules\/nolicence\) declares no licence/);
  });

  it('refuses a bundled package that declares no licence, naming it', async () => {
    const root = project({
      dependencies: { '@sc/ok': '2.0.0' },
      devDependencies: { '@dev/hidden': '0.3.0' },
      packages: [okLib, { dir: 'node_modules/@dev/hidden', json: { name: '@dev/hidden', version: '0.3.0' } }],
      rendererInputs: ['node_modules/@dev/hidden/dist/esm/index.js', 'renderer/main.tsx'],
    });
    await expect(sbomOf(root)).rejects.toThrow(/SBOM refused: @dev\/hidden@0\.3\.0 \(node_modules\/@dev\/hidden\)/);
  });

  it('refuses to run without the build records, since every bundled package would be missing', async () => {
    const root = project({ dependencies: { '@sc/ok': '2.0.0' }, packages: [okLib], withMeta: false });
    await expect(sbomOf(root)).rejects.toThrow('dist/meta/node-inputs.json is missing: run `npm run build`');
  });

  it('refuses a build record naming a file outside the project', async () => {
    const root = project({
      dependencies: { '@sc/ok': '2.0.0' },
      packages: [okLib],
      nodeInputs: ['../elsewhere/node_modules/x/index.js'],
    });
    await expect(sbomOf(root)).rejects.toThrow('lists an input outside the project: ../elsewhere');
  });

  it('marks bundled packages with their bundles, scoped and nested ones included, and sorts by purl', async () => {
    const root = project({
      dependencies: { '@sc/ok': '2.0.0' },
      devDependencies: { '@dev/ui': '1.1.0', tiny: '2.0.0' },
      packages: [
        okLib,
        {
          dir: 'node_modules/@dev/ui',
          json: { name: '@dev/ui', version: '1.1.0', license: '(MIT OR Apache-2.0)', dependencies: { tiny: '0.1.0' } },
        },
        { dir: 'node_modules/@dev/ui/node_modules/tiny', json: { name: 'tiny', version: '0.1.0', license: 'ISC' } },
        // An inner package.json with a name of its own is not the package (bundled-packages.mjs).
        {
          dir: 'node_modules/tiny',
          json: { name: 'tiny', version: '2.0.0', licenses: [{ type: 'MIT' }] },
          files: { 'esm/package.json': JSON.stringify({ name: 'tiny-esm', version: '9.9.9' }) },
        },
      ],
      nodeInputs: ['node_modules/tiny/esm/index.js', 'node_modules/@dev/ui/node_modules/tiny/index.js'],
      rendererInputs: ['node_modules/@dev/ui/index.js', 'node_modules/tiny/esm/index.js'],
    });
    const bom = await sbomOf(root);
    const byPurl = new Map(bom.components.map((c) => [c.purl, c]));
    expect([...byPurl.keys()]).toEqual([
      'pkg:npm/%40dev/ui@1.1.0',
      'pkg:npm/%40sc/ok@2.0.0',
      'pkg:npm/tiny@0.1.0',
      'pkg:npm/tiny@2.0.0',
    ]);
    const ui = byPurl.get('pkg:npm/%40dev/ui@1.1.0');
    expect(ui).toMatchObject({ group: '@dev', name: 'ui', licenses: [{ expression: '(MIT OR Apache-2.0)' }] });
    expect(packaging(ui)).toEqual(['bundled']);
    const tiny = byPurl.get('pkg:npm/tiny@2.0.0');
    expect(tiny?.properties).toContainEqual({ name: 'enclave:bundle', value: 'node' });
    expect(tiny?.properties).toContainEqual({ name: 'enclave:bundle', value: 'renderer' });
    expect(tiny?.licenses).toEqual([{ license: { id: 'MIT', acknowledgement: 'declared' } }]);
    expect(packaging(byPurl.get('pkg:npm/tiny@0.1.0'))).toEqual(['bundled']);
    expect(packaging(byPurl.get('pkg:npm/%40sc/ok@2.0.0'))).toEqual(['packaged']);
    expect(bom.components.some((c) => c.name === 'tiny-esm')).toBe(false);
    expect(bom.metadata.timestamp).toBe('2023-11-14T22:13:20Z');
  });

  it('ships the native module and what it requires, but not what only its install script runs', async () => {
    const native = (lib: string) => ({
      dir: 'node_modules/better-sqlite3-multiple-ciphers',
      json: {
        name: 'better-sqlite3-multiple-ciphers',
        version: '12.0.0',
        license: 'MIT',
        main: 'lib/index.js',
        scripts: { install: 'prebuild-install || node-gyp rebuild --release' },
        dependencies: { bindings: '1.5.0', 'prebuild-install': '7.0.0' },
      },
      files: {
        'lib/index.js': lib,
        LICENSE: MIT_TEXT,
        'deps/sqlite3/sqlite3.h':
          '#define SQLITE3MC_VERSION_STRING     "SQLite3 Multiple Ciphers 2.1.0"\n#define SQLITE_VERSION        "3.50.1"\n',
      },
    });
    const rest = [
      { dir: 'node_modules/bindings', json: { name: 'bindings', version: '1.5.0', license: 'MIT' } },
      {
        dir: 'node_modules/prebuild-install',
        json: { name: 'prebuild-install', version: '7.0.0', license: 'MIT', dependencies: { rc: '1.0.0' } },
      },
      { dir: 'node_modules/rc', json: { name: 'rc', version: '1.0.0', license: '(BSD-2-Clause OR MIT OR Apache-2.0)' } },
    ];
    const honest = project({
      dependencies: { 'better-sqlite3-multiple-ciphers': '12.0.0' },
      packages: [native("module.exports = require('bindings')('better_sqlite3.node');\n"), ...rest],
    });
    const bom = await sbomOf(honest);
    const byName = new Map(bom.components.map((c) => [c.name, packaging(c)]));
    expect(Object.fromEntries(byName)).toEqual({
      'better-sqlite3-multiple-ciphers': ['packaged'],
      bindings: ['packaged'],
      'prebuild-install': ['install-time'],
      rc: ['install-time'],
    });
    // The C code compiled into its addon, with the versions its bundled header states.
    const addon = bom.components.find((c) => c.name === 'better-sqlite3-multiple-ciphers');
    expect(addon?.components?.map((c) => [c.name, c.version, c.purl, c.licenses?.[0]?.license?.id])).toEqual([
      ['SQLite3MultipleCiphers', '2.1.0', 'pkg:github/utelle/SQLite3MultipleCiphers@v2.1.0', 'MIT'],
      ['sqlite', '3.50.1', 'pkg:generic/sqlite@3.50.1', 'blessing'],
    ]);

    const changed = project({
      dependencies: { 'better-sqlite3-multiple-ciphers': '12.0.0' },
      packages: [native("const fetch = require('prebuild-install/download');\n"), ...rest],
    });
    await expect(sbomOf(changed)).rejects.toThrow(
      /better-sqlite3-multiple-ciphers loads prebuild-install at run time \(.*lib\/index\.js\)/,
    );
  });

  it('writes the same bytes twice and a hash-derived serial number', async () => {
    const root = project({ dependencies: { '@sc/ok': '2.0.0' }, packages: [okLib] });
    const out = (name: string) => join(root, 'out', name);
    await writeSbom({ root, outFile: out('a.json'), sourceDateEpoch: '1700000000', version: '1.0.0' });
    await writeSbom({ root, outFile: out('b.json'), sourceDateEpoch: 1_700_000_000, version: '1.0.0' });
    const a = readFileSync(out('a.json'), 'utf8');
    expect(readFileSync(out('b.json'), 'utf8')).toBe(a);
    expect(a.endsWith('}\n')).toBe(true);
    expect(JSON.parse(a).serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('refuses a SOURCE_DATE_EPOCH that is not whole seconds, and a version that is not one', async () => {
    expect(() => sbomTimestamp('2026-01-01')).toThrow('SOURCE_DATE_EPOCH must be whole seconds, not 2026-01-01');
    const root = project({ dependencies: { '@sc/ok': '2.0.0' }, packages: [okLib] });
    await expect(writeSbom({ root, outFile: join(root, 'x.json'), sourceDateEpoch: 1, version: '1.0.0; rm' })).rejects.toThrow(
      'is not a release version',
    );
  });
});

describe('declared licences', () => {
  it('reads SPDX ids, expressions, free-text names and the legacy forms; none is null', () => {
    expect(declaredLicences({ license: 'mit' })).toEqual([{ license: { id: 'MIT', acknowledgement: 'declared' } }]);
    expect(declaredLicences({ license: '(MIT AND Zlib)' })).toEqual([{ expression: '(MIT AND Zlib)', acknowledgement: 'declared' }]);
    expect(declaredLicences({ license: 'MIT/X11' })).toEqual([{ license: { name: 'MIT/X11', acknowledgement: 'declared' } }]);
    expect(declaredLicences({ license: { type: 'BSD-3-Clause' } })).toEqual([
      { license: { id: 'BSD-3-Clause', acknowledgement: 'declared' } },
    ]);
    expect(declaredLicences({ licenses: [{ type: 'MIT' }, { type: 'Apache-2.0' }] })?.map((l) => l.license?.id)).toEqual([
      'MIT',
      'Apache-2.0',
    ]);
    expect(declaredLicences({})).toBeNull();
    expect(declaredLicences({ license: '   ' })).toBeNull();
  });
});
