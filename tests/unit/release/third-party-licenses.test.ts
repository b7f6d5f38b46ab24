import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSbom } from '../../../scripts/release/sbom.mjs';
import { writeThirdPartyLicenses } from '../../../scripts/release/third-party-licenses.mjs';
import { MIT_TEXT, makeFixtureProject } from './sbom-fixture';

// THIRD-PARTY-LICENSES.txt from a real SBOM of a fixture project.
const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

function fixture(): string {
  const root = makeFixtureProject({
    dependencies: { '@sc/ok': '2.0.0' },
    devDependencies: { textless: '1.0.0', notice: '3.0.0' },
    packages: [
      // Found case-insensitively, every licence file in the package root, CRLF made LF.
      {
        dir: 'node_modules/@sc/ok',
        json: { name: '@sc/ok', version: '2.0.0', license: 'MIT' },
        files: { 'licence.md': MIT_TEXT.replace(/\n/g, '\r\n') },
      },
      {
        dir: 'node_modules/notice',
        json: { name: 'notice', version: '3.0.0', license: 'Apache-2.0' },
        files: { 'LICENSE-APACHE': 'Apache licence text (fixture)\n', NOTICE: 'Notice text (fixture)\n', 'README.md': 'not a licence' },
      },
      { dir: 'node_modules/textless', json: { name: 'textless', version: '1.0.0', license: 'ISC' } },
    ],
    nodeInputs: ['node_modules/textless/index.js', 'node_modules/notice/lib/a.js'],
  });
  roots.push(root);
  return root;
}

describe('third-party licence file', () => {
  it('carries each package licence text under a name-version-licence header, and lists those without text last', async () => {
    const root = fixture();
    const sbom = await writeSbom({ root, outFile: join(root, 'sbom.json'), sourceDateEpoch: 0, version: '1.0.0' });
    const out = join(root, 'THIRD-PARTY-LICENSES.txt');
    await writeThirdPartyLicenses({ root, sbom, outFile: out });
    const text = readFileSync(out, 'utf8');

    expect(text).toContain('LICENSES.chromium.html');
    expect(text).toContain(`@sc/ok 2.0.0 (MIT)\nIncluded: packaged\n\n--- licence.md ---\n${MIT_TEXT}`);
    expect(text).not.toContain('\r');
    expect(text).toContain('notice 3.0.0 (Apache-2.0)\nIncluded: bundled (node)');
    expect(text).toContain('--- LICENSE-APACHE ---\nApache licence text (fixture)\n\n--- NOTICE ---\nNotice text (fixture)');
    expect(text).not.toContain('not a licence');
    const lastSection = text.slice(text.indexOf('Packages that publish no licence text'));
    expect(lastSection).toContain(
      'textless 1.0.0 (ISC)\nIncluded: bundled (node)\nThe package ships no licence text; its package.json declares ISC.',
    );

    // The same SBOM, read back from its file, gives the same bytes.
    await writeThirdPartyLicenses({ root, sbom: join(root, 'sbom.json'), outFile: join(root, 'again.txt') });
    expect(readFileSync(join(root, 'again.txt'), 'utf8')).toBe(text);
  });

  it('refuses a component whose package is not installed, naming it', async () => {
    const root = fixture();
    const sbom = await writeSbom({ root, outFile: join(root, 'sbom.json'), sourceDateEpoch: 0, version: '1.0.0' });
    rmSync(join(root, 'node_modules', 'notice'), { recursive: true });
    await expect(writeThirdPartyLicenses({ root, sbom, outFile: join(root, 'x.txt') })).rejects.toThrow(
      'THIRD-PARTY-LICENSES: notice@3.0.0: package directory node_modules/notice not found',
    );
  });

  it('refuses a component the SBOM gives no licence', async () => {
    const root = fixture();
    const sbom = await writeSbom({ root, outFile: join(root, 'sbom.json'), sourceDateEpoch: 0, version: '1.0.0' });
    const stripped = { ...sbom, components: sbom.components.map((c) => (c.name === 'textless' ? { ...c, licenses: [] } : c)) };
    await expect(writeThirdPartyLicenses({ root, sbom: stripped, outFile: join(root, 'x.txt') })).rejects.toThrow(
      'THIRD-PARTY-LICENSES: textless@1.0.0 has no licence in the SBOM',
    );
  });
});
