// The app payload of a release (docs/release.md, "The app payload"): exactly the files
// electron-builder.yml's `files` names, a package.json trimmed to what the app reads, and the
// runtime closure of the two native modules, staged into a folder and archived into app.asar with
// the *.node files unpacked beside it, as electron-builder does. Nothing else can get in: the
// staged list is computed, sorted and checked, so two builds of one commit give the same bytes.
import { createPackageFromFiles } from '@electron/asar';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { parse } from 'yaml';

/**
 * What each runtime native module needs at run time, and no more: its JavaScript, its licence and
 * its compiled addon. better-sqlite3-multiple-ciphers finds its addon through `bindings`, which
 * needs `file-uri-to-path`; prebuild-install and the C sources are install-time only.
 */
export const RUNTIME_MODULES = {
  'better-sqlite3-multiple-ciphers': ['package.json', 'LICENSE', 'lib/**', 'build/Release/better_sqlite3.node'],
  bindings: ['package.json', 'LICENSE.md', 'bindings.js'],
  'file-uri-to-path': ['package.json', 'LICENSE', 'index.js'],
  pkcs11js: ['package.json', 'LICENSE', 'index.js', 'build/Release/pkcs11.node'],
};

/** The package.json fields the app and electron-builder read; scripts and dev tooling stay out. */
const PACKAGE_FIELDS = ['name', 'productName', 'version', 'description', 'author', 'license', 'main', 'dependencies'];

/** Turns one `files` pattern of the three shapes electron-builder.yml uses into a predicate. */
export function filesPattern(pattern) {
  const negated = pattern.startsWith('!');
  const body = negated ? pattern.slice(1) : pattern;
  let test;
  if (body.startsWith('**/*.') && !body.slice(5).includes('/') && !body.slice(5).includes('*')) {
    const suffix = body.slice(4);
    test = (path) => path.endsWith(suffix);
  } else if (body.endsWith('/**') && !body.slice(0, -3).includes('*')) {
    const prefix = body.slice(0, -2);
    test = (path) => path.startsWith(prefix);
  } else if (!body.includes('*')) {
    test = (path) => path === body;
  } else {
    throw new Error(`electron-builder.yml: the files pattern "${pattern}" is not one the release build understands`);
  }
  return { negated, test };
}

/** Every file under `dir`, as paths relative to `base` with forward slashes, sorted. */
export function listFiles(dir, base = dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path, base));
    else if (entry.isFile()) out.push(relative(base, path).split(sep).join('/'));
    else throw new Error(`${relative(base, path)}: not a plain file or folder; a release carries neither links nor devices`);
  }
  return out.sort();
}

/** The repository files electron-builder.yml's `files` selects (package.json is written, not copied). */
export function selectAppFiles(root) {
  const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));
  const patterns = config.files.map(filesPattern);
  const candidates = ['dist', 'resources'].flatMap((top) => listFiles(join(root, top), root));
  const chosen = candidates.filter((path) => {
    let included = false;
    for (const { negated, test } of patterns) if (test(path)) included = !negated;
    return included;
  });
  config.files.forEach((pattern, i) => {
    if (pattern.startsWith('!') || pattern === 'package.json' || chosen.some(patterns[i].test)) return;
    throw new Error(`electron-builder.yml names ${pattern}, which the build did not make: run \`npm run build\` first`);
  });
  return chosen;
}

/** The files of one runtime module that RUNTIME_MODULES keeps, relative to its folder. */
function moduleFiles(moduleDir, keep) {
  const all = listFiles(moduleDir);
  const patterns = keep.map(filesPattern);
  const files = all.filter((path) => patterns.some(({ test }) => test(path)));
  for (const wanted of keep.filter((path) => !path.includes('*'))) {
    if (!files.includes(wanted)) throw new Error(`${moduleDir}: ${wanted} is missing; run \`npm ci\``);
  }
  return files;
}

function copyInto(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
  chmodSync(to, 0o644);
}

/**
 * Stages the app into `appDir` (which must not exist): what electron-builder would package, from
 * the built repository at `root`, the natives as built in its node_modules (rebuildNatives may then
 * replace the staged addons with Electron's). Returns the staged files.
 */
export function stageApp({ root, appDir }) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const trimmed = {};
  for (const field of PACKAGE_FIELDS) if (pkg[field] !== undefined) trimmed[field] = pkg[field];
  trimmed.productName ??= 'Enclave';
  mkdirSync(dirname(appDir), { recursive: true });
  mkdirSync(appDir);
  writeFileSync(join(appDir, 'package.json'), JSON.stringify(trimmed, null, 2) + '\n', { mode: 0o644 });
  for (const path of selectAppFiles(root)) copyInto(join(root, path), join(appDir, path));
  for (const [name, keep] of Object.entries(RUNTIME_MODULES)) {
    const from = join(root, 'node_modules', name);
    for (const path of moduleFiles(from, keep)) copyInto(join(from, path), join(appDir, 'node_modules', name, path));
  }
  return listFiles(appDir);
}

/** Every folder on the way to each file, then the files: the list asar wants, in one fixed order. */
function archiveEntries(appDir, files) {
  const entries = new Set();
  for (const file of files) {
    const parts = file.split('/');
    for (let i = 1; i < parts.length; i += 1) entries.add(parts.slice(0, i).join('/'));
    entries.add(file);
  }
  return [...entries].sort().map((path) => join(appDir, ...path.split('/')));
}

/**
 * Archives the staged app into `asarFile`, with *.node beside it in `<asarFile>.unpacked/` (a
 * native addon cannot be loaded from inside an archive). The order is sorted, and asar records
 * no times, so the archive depends only on the staged bytes.
 */
export async function writeAppAsar(appDir, asarFile) {
  const files = listFiles(appDir);
  mkdirSync(dirname(asarFile), { recursive: true });
  await createPackageFromFiles(appDir, asarFile, archiveEntries(appDir, files), undefined, { unpack: '*.node' });
  if (!statSync(asarFile).isFile()) throw new Error(`${asarFile} was not written`);
  return files;
}
