// THIRD-PARTY-LICENSES.txt: the licence text of every third-party package in the SBOM, taken from the
// package's own LICENSE / LICENCE / COPYING / NOTICE files. Shipped packages (bundled into dist/ or
// packaged in node_modules) first, then those only `npm install` needs, then the packages that publish no
// licence text, each with its declared (or concluded) licence. Same SBOM and tree, same bytes.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { licenceLabel } from './package-licences.mjs';
import { readJsonBounded, readTextBounded } from './read-bounded.mjs';

const LICENCE_FILE = /^(licen[cs]e|copying|notice)([.\-_][^/]*)?$/i;
const MAX_LICENCE_FILE_BYTES = 1024 * 1024;
const MAX_SBOM_BYTES = 64 * 1024 * 1024;
const RULE = '='.repeat(78);

const properties = (component, name) =>
  (component.properties ?? []).filter((entry) => entry.name === name).map((entry) => entry.value);
const fullName = (component) => (component.group ? `${component.group}/${component.name}` : component.name);

/** The licence files in a package's root, by name (case-insensitive match, byte order). */
export function licenceFiles(packageDir) {
  return readdirSync(packageDir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && LICENCE_FILE.test(entry.name))
    .map((entry) => entry.name)
    .sort();
}

function describe(component) {
  const packaging = properties(component, 'enclave:packaging');
  const bundles = properties(component, 'enclave:bundle');
  return packaging.map((how) => (how === 'bundled' ? `bundled (${bundles.join(', ')})` : how)).join(', ');
}

function section(root, component) {
  const name = fullName(component);
  const label = licenceLabel(component.licenses);
  const path = properties(component, 'cdx:npm:package:path')[0];
  if (!label) throw new Error(`THIRD-PARTY-LICENSES: ${name}@${component.version} has no licence in the SBOM`);
  const dir = path === undefined ? null : join(root, path);
  if (dir === null || !existsSync(join(dir, 'package.json')))
    throw new Error(`THIRD-PARTY-LICENSES: ${name}@${component.version}: package directory ${path ?? '(none)'} not found`);
  const header = [RULE, `${name} ${component.version} (${label})`, `Included: ${describe(component)}`];
  for (const part of component.components ?? []) {
    const where = properties(part, 'enclave:compiled-into')[0];
    if (where)
      header.push(`Compiled into its native addon: ${part.name} ${part.version} (${licenceLabel(part.licenses)}), notices in ${where}`);
  }
  const files = licenceFiles(dir);
  if (files.length === 0) return { name, text: null, header };
  const texts = files.map((file) => {
    const text = readTextBounded(join(dir, file), MAX_LICENCE_FILE_BYTES, 'licence file').replace(/\r\n?/g, '\n');
    return `--- ${file} ---\n${text.trimEnd()}\n`;
  });
  return { name, header, text: texts.join('\n') };
}

/**
 * Writes the licence file for the components the SBOM marks with enclave:packaging. sbom: the SBOM
 * object writeSbom returned, or the path of sbom.cdx.json. root: the project whose node_modules it lists.
 */
export async function writeThirdPartyLicenses({ root, sbom, outFile }) {
  const bom = typeof sbom === 'string' ? readJsonBounded(sbom, MAX_SBOM_BYTES, 'SBOM') : sbom;
  if (bom?.bomFormat !== 'CycloneDX' || !Array.isArray(bom.components))
    throw new Error('THIRD-PARTY-LICENSES: the SBOM is not a CycloneDX BOM with components');
  const byOrder = (a, b) => {
    const [x, y] = [`${fullName(a)}@${a.version}`, `${fullName(b)}@${b.version}`];
    return x < y ? -1 : x > y ? 1 : 0;
  };
  const marked = bom.components.filter((component) => properties(component, 'enclave:packaging').length > 0);
  const shipped = marked.filter((c) => properties(c, 'enclave:packaging').some((how) => how !== 'install-time'));
  const installOnly = marked.filter((c) => properties(c, 'enclave:packaging').every((how) => how === 'install-time'));

  const app = bom.metadata?.component;
  const lines = [
    `Third-party software in ${app?.name ?? 'enclave'} ${app?.version ?? ''}`.trimEnd(),
    '',
    'Each section: the package, its version and licence (SPDX), how it is included, then the licence',
    "text from the package's own LICENSE, LICENCE, COPYING or NOTICE files. sbom.cdx.json lists the same",
    'packages (property enclave:packaging).',
    'Electron and Chromium are not listed here: their licences come with the Electron distribution in the',
    'offline build kit (LICENSE and LICENSES.chromium.html), installed next to the enclave executable.',
    '',
  ];
  const withoutText = [];
  const emit = (components) => {
    for (const component of [...components].sort(byOrder)) {
      const { header, text } = section(root, component);
      if (text === null) withoutText.push({ component, header });
      else lines.push(...header, '', text);
    }
  };
  emit(shipped);
  lines.push(RULE, 'Needed only to install the native modules (npm install), not shipped in the app:', '');
  emit(installOnly);
  lines.push(RULE, 'Packages that publish no licence text: their declared licence, as stated in the SBOM', '');
  for (const { component, header } of withoutText) {
    const evidence = properties(component, 'enclave:licence-evidence')[0];
    lines.push(
      ...header.slice(1),
      evidence
        ? `No licence declared or shipped; licence concluded by review: ${evidence}`
        : `The package ships no licence text; its package.json declares ${licenceLabel(component.licenses)}.`,
      '',
    );
  }
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, `${lines.join('\n').trimEnd()}\n`);
}
