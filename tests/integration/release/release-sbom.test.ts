import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonStrictValidator } from '@cyclonedx/cyclonedx-library/Validation';
import { Version } from '@cyclonedx/cyclonedx-library/Spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CdxBom, type CdxComponent, npmLsProductionPackages, writeSbom } from '../../../scripts/release/sbom.mjs';
import { writeThirdPartyLicenses } from '../../../scripts/release/third-party-licenses.mjs';
import { repoRoot } from '../../support/services';

// The release SBOM and licence file of this project, from the build's records (dist/meta) and node_modules.
const out = mkdtempSync(join(tmpdir(), 'enclave-release-sbom-'));
const EPOCH = 1_764_806_400;
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
let bom: CdxBom;
let sbomText: string;
let licences: string;

const fullName = (c: CdxComponent): string => (c.group ? `${c.group}/${c.name}` : c.name);
const values = (c: CdxComponent | undefined, name: string): string[] =>
  (c?.properties ?? []).filter((p) => p.name === name).map((p) => p.value);

beforeAll(async () => {
  if (!existsSync(join(repoRoot, 'dist', 'meta', 'node-inputs.json')) || !existsSync(join(repoRoot, 'dist', 'meta', 'renderer-inputs.json')))
    execFileSync('npm', ['run', '-s', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  bom = await writeSbom({ root: repoRoot, outFile: join(out, 'sbom.cdx.json'), sourceDateEpoch: EPOCH, version });
  sbomText = readFileSync(join(out, 'sbom.cdx.json'), 'utf8');
  await writeThirdPartyLicenses({ root: repoRoot, sbom: bom, outFile: join(out, 'THIRD-PARTY-LICENSES.txt') });
  licences = readFileSync(join(out, 'THIRD-PARTY-LICENSES.txt'), 'utf8');
}, 300_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('release SBOM of this project', () => {
  it('is a CycloneDX 1.6 BOM that passes the CycloneDX JSON schema, stamped with SOURCE_DATE_EPOCH', async () => {
    expect(bom.bomFormat).toBe('CycloneDX');
    expect(bom.specVersion).toBe('1.6');
    expect(await new JsonStrictValidator(Version.v1dot6).validate(sbomText)).toBeNull();
    expect(bom.metadata.timestamp).toBe('2025-12-04T00:00:00Z');
    expect(bom.metadata.component).toMatchObject({ name: 'enclave', version, purl: `pkg:npm/enclave@${version}` });
  });

  it('lists every package of `npm ls --omit=dev --all` with its version and a licence', () => {
    const listed = new Map(bom.components.map((c) => [`${fullName(c)}@${c.version}`, c]));
    const production = npmLsProductionPackages(repoRoot);
    expect(production.size).toBeGreaterThan(3);
    for (const key of production) {
      const component = listed.get(key);
      expect(component, key).toBeDefined();
      expect(component?.licenses?.length, key).toBeGreaterThan(0);
      expect(values(component, 'enclave:packaging').filter((v) => v !== 'bundled').length, key).toBe(1);
    }
  });

  it('ships only the native modules and what they load at run time; the installer tooling is install-time', () => {
    const packaged = bom.components.filter((c) => values(c, 'enclave:packaging').includes('packaged')).map(fullName);
    expect(packaged.sort()).toEqual(['better-sqlite3-multiple-ciphers', 'bindings', 'file-uri-to-path', 'pkcs11js']);
    const prebuild = bom.components.find((c) => c.name === 'prebuild-install');
    expect(values(prebuild, 'enclave:packaging')).toEqual(['install-time']);
    const addon = bom.components.find((c) => c.name === 'better-sqlite3-multiple-ciphers');
    expect(addon?.components?.map((c) => c.name)).toEqual(['SQLite3MultipleCiphers', 'sqlite']);
  });

  it('marks every node_modules package the shipped bundles were built from as bundled, in the right bundle', () => {
    for (const bundle of ['node', 'renderer']) {
      const record = JSON.parse(readFileSync(join(repoRoot, 'dist', 'meta', `${bundle}-inputs.json`), 'utf8')) as {
        outputs: Record<string, string[]>;
      };
      const dirs = new Set<string>();
      for (const input of Object.values(record.outputs).flat()) {
        const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
        if (match?.[1]) dirs.add(match[1]);
      }
      expect(dirs.size).toBeGreaterThan(5);
      for (const dir of dirs) {
        const pkg = JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8')) as { name: string; version: string };
        const component = bom.components.find((c) => fullName(c) === pkg.name && c.version === pkg.version);
        expect(values(component, 'enclave:packaging'), dir).toContain('bundled');
        expect(values(component, 'enclave:bundle'), dir).toContain(bundle);
        expect(component?.licenses?.length, dir).toBeGreaterThan(0);
      }
    }
    // The development hosts never ship: their inputs are not recorded.
    const nodeRecord = readFileSync(join(repoRoot, 'dist', 'meta', 'node-inputs.json'), 'utf8');
    expect(nodeRecord).not.toContain('browser-host');
    expect(nodeRecord).not.toContain(repoRoot);
    const react = bom.components.find((c) => c.name === 'react');
    expect(values(react, 'enclave:bundle')).toEqual(['renderer']);
  });

  it('gives byte-identical output on a second run', async () => {
    await writeSbom({ root: repoRoot, outFile: join(out, 'again.cdx.json'), sourceDateEpoch: String(EPOCH), version });
    expect(readFileSync(join(out, 'again.cdx.json'), 'utf8')).toBe(sbomText);
  });
});

describe('THIRD-PARTY-LICENSES.txt of this project', () => {
  const licenceText = (dir: string, file: string): string =>
    readFileSync(join(repoRoot, 'node_modules', dir, file), 'utf8').replace(/\r\n?/g, '\n').trimEnd();

  it("carries react's MIT text and the native modules' licences under their headers", () => {
    const react = JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'react', 'package.json'), 'utf8')) as { version: string };
    expect(licences).toContain(`react ${react.version} (MIT)\nIncluded: bundled (renderer)`);
    expect(licences).toContain(licenceText('react', 'LICENSE'));
    expect(licences).toMatch(/better-sqlite3-multiple-ciphers \S+ \(MIT\)\nIncluded: packaged\n/);
    expect(licences).toContain(licenceText('better-sqlite3-multiple-ciphers', 'LICENSE'));
    expect(licences).toMatch(/Compiled into its native addon: sqlite [0-9.]+ \(blessing\)/);
    expect(licences).toContain(licenceText('pkcs11js', 'LICENSE'));
    expect(licences).toContain(licenceText('@fontsource/noto-sans', 'LICENSE'));
    expect(licences).toContain('LICENSES.chromium.html');
  });

  it('keeps install-time packages apart and lists the packages without licence text last', () => {
    const installSection = licences.indexOf('Needed only to install the native modules');
    const textlessSection = licences.indexOf('Packages that publish no licence text');
    expect(installSection).toBeGreaterThan(0);
    expect(textlessSection).toBeGreaterThan(installSection);
    expect(licences.indexOf('prebuild-install ')).toBeGreaterThan(installSection);
    expect(licences.slice(textlessSection)).toMatch(/buffers 0\.1\.1 \(MIT\)\nIncluded: bundled \(node\)\nNo licence declared/);
  });
});
