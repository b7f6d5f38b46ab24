// The release's CycloneDX 1.6 SBOM (sbom.cdx.json): the production npm tree as cyclonedx-npm reports it,
// plus every package esbuild and vite compiled into the shipped bundles (devDependencies, so absent from
// that tree). Each component says how it ships in the property enclave:packaging:
//   bundled       compiled into dist/ (enclave:bundle: node and/or renderer)
//   packaged      copied as a package into the app's node_modules (the native modules' run-time closure)
//   install-time  needed only by `npm install` of the native modules (runtime-closure.mjs), not shipped
// The output depends only on the tree and the arguments: sorted, no random serial number, the timestamp
// from SOURCE_DATE_EPOCH.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { bundledPackages } from './bundled-packages.mjs';
import { compiledInComponents } from './compiled-in.mjs';
import { concludedLicence, declaredLicences } from './package-licences.mjs';
import { readJsonBounded } from './read-bounded.mjs';
import { installTimeEdgeHolds, INSTALL_TIME_ONLY, runtimeRefs } from './runtime-closure.mjs';

const require = createRequire(import.meta.url);
const MAX_TOOL_OUTPUT = 64 * 1024 * 1024;
const MAX_PACKAGE_JSON_BYTES = 1024 * 1024;

const fullName = (component) => (component.group ? `${component.group}/${component.name}` : component.name);
const npmPurl = (name, version) => `pkg:npm/${name.replace(/^@/, '%40')}@${encodeURIComponent(version)}`;
const property = (component, name) => component.properties?.find((entry) => entry.name === name)?.value;

/** SOURCE_DATE_EPOCH (seconds, as a number or a string of digits) as an ISO 8601 UTC timestamp. */
export function sbomTimestamp(sourceDateEpoch) {
  const text = String(sourceDateEpoch);
  if (!/^\d{1,11}$/.test(text)) throw new Error(`SBOM: SOURCE_DATE_EPOCH must be whole seconds, not ${text.slice(0, 40)}`);
  return new Date(Number(text) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The installed @cyclonedx/cyclonedx-npm (its exports name neither its bin nor its package.json). */
function toolDir() {
  let dir = dirname(require.resolve('@cyclonedx/cyclonedx-npm'));
  while (!existsSync(join(dir, 'package.json')) || readJsonBounded(join(dir, 'package.json'), MAX_PACKAGE_JSON_BYTES).name !== '@cyclonedx/cyclonedx-npm') {
    if (dirname(dir) === dir) throw new Error('SBOM: @cyclonedx/cyclonedx-npm is not installed');
    dir = dirname(dir);
  }
  return dir;
}

/** The production tree as cyclonedx-npm reports it (`--omit dev`, spec 1.6, reproducible). */
function productionBom(root) {
  const cli = join(toolDir(), 'bin', 'cyclonedx-npm-cli.js');
  const args = ['--omit', 'dev', '--spec-version', '1.6', '--output-reproducible', '--output-format', 'JSON'];
  const run = spawnSync(process.execPath, [cli, ...args, '--output-file', '-', join(root, 'package.json')], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: MAX_TOOL_OUTPUT,
  });
  if (run.status !== 0) throw new Error(`SBOM: cyclonedx-npm failed (${run.status}): ${String(run.stderr).slice(-2000)}`);
  return JSON.parse(run.stdout);
}

/** name@version of every package `npm ls --omit=dev --all` lists under root (the production tree). */
export function npmLsProductionPackages(root) {
  const run = spawnSync('npm', ['ls', '--omit=dev', '--all', '--json'], { cwd: root, encoding: 'utf8', maxBuffer: MAX_TOOL_OUTPUT });
  let tree;
  try {
    tree = JSON.parse(run.stdout);
  } catch {
    throw new Error(`npm ls failed (${run.status}): ${String(run.stderr).slice(-2000)}`);
  }
  const found = new Set();
  const walk = (dependencies) => {
    for (const [name, node] of Object.entries(dependencies ?? {})) {
      if (typeof node.version !== 'string') continue;
      const key = `${name}@${node.version}`;
      if (found.has(key) && !node.dependencies) continue;
      found.add(key);
      walk(node.dependencies);
    }
  };
  walk(tree.dependencies);
  return found;
}

function addProperty(component, name, value) {
  const properties = component.properties ?? [];
  if (!properties.some((entry) => entry.name === name && entry.value === value)) properties.push({ name, value });
  component.properties = properties.sort((a, b) => (a.name === b.name ? (a.value < b.value ? -1 : 1) : a.name < b.name ? -1 : 1));
}

/** Marks the production tree packaged or install-time, after checking each install-only edge. */
function markProductionTree(root, bom) {
  const rootRef = bom.metadata.component['bom-ref'];
  const byRef = new Map(bom.components.map((component) => [component['bom-ref'], component]));
  for (const component of bom.components) {
    const skipped = INSTALL_TIME_ONLY[fullName(component)];
    if (!skipped) continue;
    const dir = join(root, property(component, 'cdx:npm:package:path') ?? '');
    const json = readJsonBounded(join(dir, 'package.json'), MAX_PACKAGE_JSON_BYTES, 'package.json');
    for (const child of skipped) installTimeEdgeHolds(dir, json, child);
  }
  const runtime = runtimeRefs(rootRef, bom.dependencies ?? [], (ref) => {
    const component = byRef.get(ref);
    return component ? fullName(component) : '';
  });
  for (const component of bom.components) {
    addProperty(component, 'enclave:packaging', runtime.has(component['bom-ref']) ? 'packaged' : 'install-time');
    const dir = join(root, property(component, 'cdx:npm:package:path') ?? '');
    const compiled = compiledInComponents(dir, fullName(component), component['bom-ref']);
    if (compiled.length > 0) component.components = [...(component.components ?? []), ...compiled];
  }
}

/** Adds the bundled packages: as new components, or as one more packaging of a production one. */
function addBundled(root, bom) {
  const rootRef = bom.metadata.component['bom-ref'];
  const byPurl = new Map(bom.components.map((component) => [component.purl, component]));
  const rootNode = bom.dependencies.find((node) => node.ref === rootRef);
  for (const pkg of bundledPackages(root).values()) {
    const purl = npmPurl(pkg.name, pkg.version);
    let component = byPurl.get(purl);
    if (!component) {
      const scoped = pkg.name.startsWith('@') ? pkg.name.split('/') : null;
      component = {
        type: 'library',
        ...(scoped ? { group: scoped[0], name: scoped[1] } : { name: pkg.name }),
        version: pkg.version,
        'bom-ref': `${rootRef}|${pkg.name}@${pkg.version}`,
        purl,
      };
      const licenses = declaredLicences(pkg.json);
      if (licenses) component.licenses = licenses;
      addProperty(component, 'cdx:npm:package:path', [...pkg.dirs].sort()[0]);
      bom.components.push(component);
      byPurl.set(purl, component);
      bom.dependencies.push({ ref: component['bom-ref'] });
      rootNode.dependsOn = [...(rootNode.dependsOn ?? []), component['bom-ref']];
    }
    addProperty(component, 'enclave:packaging', 'bundled');
    for (const bundle of pkg.bundles) addProperty(component, 'enclave:bundle', bundle);
  }
}

/** Fills a missing licence from licence-conclusions.json, then refuses any component still without one. */
function requireVersionsAndLicences(bom) {
  for (const component of bom.components) {
    const name = fullName(component);
    const where = property(component, 'cdx:npm:package:path') ?? '';
    if (typeof component.version !== 'string' || component.version === '')
      throw new Error(`SBOM refused: ${name} (${where}) has no version`);
    if (component.licenses?.length) continue;
    const concluded = concludedLicence(name, component.version);
    if (!concluded)
      throw new Error(
        `SBOM refused: ${name}@${component.version} (${where}) declares no licence in its package.json; ` +
          'review it and record the licence with its evidence in scripts/release/licence-conclusions.json',
      );
    // licenses before properties, where CycloneDX's own output puts them.
    const { properties } = component;
    delete component.properties;
    Object.assign(component, { licenses: concluded.licenses, properties });
    addProperty(component, 'enclave:licence-evidence', concluded.evidence);
  }
}

/** A urn:uuid derived from the BOM's content (RFC 9562 version 8: a custom, here hash-based, UUID). */
function contentUuid(bom) {
  const hex = createHash('sha256').update(JSON.stringify(bom)).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Writes the SBOM to outFile and returns it. root: the project (package.json, node_modules, and dist/meta
 * from `npm run build`); version: the release's version; sourceDateEpoch: seconds.
 */
export async function writeSbom({ root, outFile, sourceDateEpoch, version }) {
  if (typeof version !== 'string' || !/^[0-9A-Za-z.+-]{1,64}$/.test(version))
    throw new Error(`SBOM: version ${String(version).slice(0, 80)} is not a release version`);
  const timestamp = sbomTimestamp(sourceDateEpoch);
  const bom = productionBom(root);
  bom.components ??= [];
  bom.dependencies ??= [];
  markProductionTree(root, bom);
  addBundled(root, bom);
  requireVersionsAndLicences(bom);

  const app = bom.metadata.component;
  bom.metadata = {
    timestamp,
    ...bom.metadata,
    component: { ...app, version, purl: npmPurl(fullName(app), version) },
  };
  bom.components.sort((a, b) => (a.purl < b.purl ? -1 : a.purl > b.purl ? 1 : 0));
  for (const node of bom.dependencies) if (node.dependsOn) node.dependsOn = [...new Set(node.dependsOn)].sort();
  bom.dependencies.sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  delete bom.serialNumber;
  const { $schema, bomFormat, specVersion, ...rest } = bom;
  const output = { $schema, bomFormat, specVersion, serialNumber: contentUuid(bom), ...rest };

  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, `${JSON.stringify(output, null, 2)}\n`);
  return output;
}
