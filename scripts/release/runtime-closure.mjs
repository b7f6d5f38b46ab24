// Which packages of the production tree the packaged app can load at run time ('packaged') and which
// only `npm install` needs ('install-time').
//
// The shipped code requires only the two native modules (external to the bundles). What they load:
// - better-sqlite3-multiple-ciphers: lib/database.js loads its addon through `bindings`, and bindings.js
//   requires `file-uri-to-path`. Its other dependency, prebuild-install, is run only by its `install`
//   script (`prebuild-install || node-gyp rebuild --release`) to fetch or build the .node file; nothing
//   under lib/ requires it. So prebuild-install and everything only it pulls in is install-time.
// - pkcs11js has no dependencies: index.js requires its own build/Release/pkcs11.node and node:util.
// The closure below walks the resolved dependency graph from the app, skipping these install-only edges;
// installTimeEdgeHolds re-checks each edge against the installed package on every run, so an upgrade that
// starts requiring one at run time stops the SBOM instead of mislabelling it.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readTextBounded } from './read-bounded.mjs';

/** Dependencies (by name) that a package (by name) needs only for its install scripts. */
export const INSTALL_TIME_ONLY = { 'better-sqlite3-multiple-ciphers': ['prebuild-install'] };

const MAX_SCANNED_FILES = 5000;
const MAX_SCANNED_BYTES = 4 * 1024 * 1024;

function scriptFiles(dir, found = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (found.length >= MAX_SCANNED_FILES) throw new Error(`SBOM: ${dir} has over ${MAX_SCANNED_FILES} script files to check`);
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) scriptFiles(path, found);
    else if (entry.isFile() && /\.(c|m)?js$/.test(entry.name) && statSync(path).size <= MAX_SCANNED_BYTES) found.push(path);
  }
  return found;
}

/** Throws unless `child` appears in `parent`'s install scripts and no script file of `parent` loads it. */
export function installTimeEdgeHolds(parentDir, parentJson, child) {
  const scripts = parentJson.scripts ?? {};
  const installScripts = ['preinstall', 'install', 'postinstall'].map((name) => scripts[name] ?? '').join('\n');
  if (!installScripts.includes(child))
    throw new Error(`SBOM: ${parentJson.name} no longer runs ${child} from an install script; recheck runtime-closure.mjs`);
  const escaped = child.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const loads = new RegExp(`(require\\s*\\(|import\\s*\\(|from)\\s*['"]${escaped}(/[^'"]*)?['"]`);
  for (const file of scriptFiles(parentDir))
    if (loads.test(readTextBounded(file, MAX_SCANNED_BYTES, 'script')))
      throw new Error(`SBOM: ${parentJson.name} loads ${child} at run time (${file}); it is not install-time only`);
}

/**
 * The bom-refs reachable at run time from the root in a CycloneDX dependency graph, skipping the
 * install-only edges. nameOf maps a bom-ref to its package name.
 */
export function runtimeRefs(rootRef, dependencies, nameOf) {
  const dependsOn = new Map(dependencies.map((node) => [node.ref, node.dependsOn ?? []]));
  const reached = new Set();
  const queue = [...(dependsOn.get(rootRef) ?? [])];
  while (queue.length > 0) {
    const ref = queue.shift();
    if (reached.has(ref)) continue;
    reached.add(ref);
    const skipped = INSTALL_TIME_ONLY[nameOf(ref)] ?? [];
    for (const child of dependsOn.get(ref) ?? []) if (!skipped.includes(nameOf(child))) queue.push(child);
  }
  return reached;
}
