// The node_modules packages compiled into the shipped bundles, from the build's record of its inputs
// (dist/meta/*-inputs.json, written by scripts/build-node.mjs and the vite plugin in vite.config.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonBounded } from './read-bounded.mjs';

/** Each bundle's record: its file under dist/meta and the name the SBOM gives it. */
export const BUNDLE_RECORDS = [
  { bundle: 'node', file: 'dist/meta/node-inputs.json' },
  { bundle: 'renderer', file: 'dist/meta/renderer-inputs.json' },
];
const MAX_RECORD_BYTES = 32 * 1024 * 1024;
const MAX_PACKAGE_JSON_BYTES = 1024 * 1024;

/**
 * The package directory an input path lies in: the part up to the last node_modules/ plus the package's
 * name (two segments when scoped). Not merely the nearest package.json: packages carry inner ones
 * ({"type":"module"} in dist/esm, or a subpath folder's package.json with a name of its own) that are
 * not the package.
 */
export function packageDirOf(inputPath) {
  const at = inputPath.lastIndexOf('node_modules/');
  if (at < 0) return null;
  const segments = inputPath.slice(at + 'node_modules/'.length).split('/');
  const nameSegments = segments[0]?.startsWith('@') ? 2 : 1;
  if (segments.length <= nameSegments) return null;
  return inputPath.slice(0, at) + 'node_modules/' + segments.slice(0, nameSegments).join('/');
}

/**
 * Every package in the shipped bundles: key name@version, with its name, version, directories (one per
 * installed copy) and the bundles it is in. Refuses a missing or malformed record: an SBOM made without
 * one would leave out everything bundled.
 */
export function bundledPackages(root) {
  const packages = new Map();
  for (const { bundle, file } of BUNDLE_RECORDS) {
    const path = join(root, file);
    if (!existsSync(path)) throw new Error(`SBOM: ${file} is missing: run \`npm run build\` before the release`);
    const record = readJsonBounded(path, MAX_RECORD_BYTES, 'bundle record');
    if (record.format !== 'enclave-bundle-inputs/1' || record.bundle !== bundle || typeof record.outputs !== 'object')
      throw new Error(`SBOM: ${file} is not an enclave-bundle-inputs/1 record of the ${bundle} bundle`);
    const dirs = new Set();
    for (const inputs of Object.values(record.outputs))
      for (const input of Array.isArray(inputs) ? inputs : []) {
        if (typeof input !== 'string' || input.startsWith('/') || input.split('/').includes('..'))
          throw new Error(`SBOM: ${file} lists an input outside the project: ${String(input).slice(0, 200)}`);
        const dir = packageDirOf(input);
        if (dir !== null) dirs.add(dir);
      }
    for (const dir of dirs) {
      const manifest = join(root, dir, 'package.json');
      if (!existsSync(manifest)) throw new Error(`SBOM: bundled package ${dir} has no package.json`);
      const json = readJsonBounded(manifest, MAX_PACKAGE_JSON_BYTES, 'package.json');
      if (typeof json.name !== 'string' || json.name === '')
        throw new Error(`SBOM: bundled package ${dir} has no name in its package.json`);
      if (typeof json.version !== 'string' || json.version === '')
        throw new Error(`SBOM: bundled package ${json.name} (${dir}) has no version in its package.json`);
      const key = `${json.name}@${json.version}`;
      const entry = packages.get(key) ?? { name: json.name, version: json.version, json, dirs: new Set(), bundles: new Set() };
      entry.dirs.add(dir);
      entry.bundles.add(bundle);
      packages.set(key, entry);
    }
  }
  return packages;
}
