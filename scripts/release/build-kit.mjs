// The offline build kit (docs/release.md, "The offline build kit"): the files electron-builder and
// node-gyp would otherwise download, carried in by the release engineer and checked here against
// installer/build-kit.json before the build may use them. Nothing here touches the network.
import { readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256OfFile } from './install-manifest.mjs';

export { rebuildNatives } from './rebuild-natives.mjs';
export { buildPackages } from './build-packages.mjs';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_MANIFEST = join(REPO_ROOT, 'installer', 'build-kit.json');

const MAX_MANIFEST_BYTES = 1 << 20;
const MAX_SUMS_BYTES = 1 << 20;
/** The largest kit file (the Electron zips are ~110 MB): anything bigger is not a kit file. */
const MAX_KIT_FILE_BYTES = 2 * 1024 ** 3;
const HEX64 = /^[0-9a-f]{64}$/;
const KINDS = new Set(['electron', 'headers', 'headers-sums', 'builder-binary']);

/**
 * @typedef {object} KitEntry
 * @property {string} file          the file's name in the kit folder
 * @property {string[]} platforms   e.g. ["linux-x64"]
 * @property {'electron'|'headers'|'headers-sums'|'builder-binary'} kind
 * @property {string} source        where the release engineer fetches it (text only; never fetched here)
 * @property {string|null} sha256   pinned hash, or null when only a carried SHASUMS256.txt lists it
 * @property {string} sha256From    where the pinned hash comes from
 * @property {string} [listedIn]    the kit file that lists it (headers)
 * @property {string} [listedAs]    its name in that list
 * @property {string} [releaseName] electron-builder's cache folder for it (builder binaries)
 * @property {string} [notWith]     an env switch that makes it unnecessary (USE_SYSTEM_FPM)
 * @property {string} env           the environment variable that may point at it instead
 * @property {string} usedAs
 * @property {string} needFor
 *
 * @typedef {{ format: string, electronVersion: string, electronBuilderVersion: string, files: KitEntry[] }} KitManifest
 */

/**
 * Reads and checks a build-kit manifest (installer/build-kit.json, or a test's own).
 * @param {string} [path]
 * @returns {KitManifest}
 */
export function loadBuildKitManifest(path = DEFAULT_MANIFEST) {
  const size = statSync(path).size;
  if (size > MAX_MANIFEST_BYTES) throw new Error(`${path} is ${size} bytes; a build-kit manifest is at most 1 MiB.`);
  /** @type {any} */
  const manifest = JSON.parse(readFileSync(path, 'utf8'));
  if (manifest?.format !== 'enclave-build-kit/1')
    throw new Error(`${path} is not an enclave-build-kit/1 manifest (format ${JSON.stringify(manifest?.format)}).`);
  if (!Array.isArray(manifest.files) || manifest.files.length > 200)
    throw new Error(`${path}: "files" must be a list of at most 200 entries.`);
  for (const [i, entry] of manifest.files.entries()) {
    const where = `${path}: files[${i}]`;
    if (typeof entry?.file !== 'string' || !/^[A-Za-z0-9@._-]{1,120}$/.test(entry.file))
      throw new Error(`${where} has no plain file name.`);
    if (!KINDS.has(entry.kind)) throw new Error(`${where} (${entry.file}) has an unknown kind ${JSON.stringify(entry.kind)}.`);
    if (entry.sha256 !== null && !HEX64.test(entry.sha256))
      throw new Error(`${where} (${entry.file}): sha256 must be 64 lowercase hex digits or null.`);
    if (entry.sha256 === null && entry.kind !== 'headers-sums' && !entry.listedIn)
      throw new Error(`${where} (${entry.file}) has neither a pinned sha256 nor a list that carries it.`);
    if (entry.kind === 'builder-binary' && !/^[A-Za-z0-9@._-]{1,80}$/.test(entry.releaseName ?? ''))
      throw new Error(`${where} (${entry.file}) needs the releaseName electron-builder caches it under.`);
    if (!Array.isArray(entry.platforms)) throw new Error(`${where} (${entry.file}) names no platforms.`);
  }
  return manifest;
}

/** The SHA-256 a SHASUMS256.txt lists for `name`, or null. */
function hashListedIn(sumsPath, name) {
  const size = statSync(sumsPath).size;
  if (size > MAX_SUMS_BYTES) throw new Error(`${sumsPath} is ${size} bytes; a SHASUMS256.txt is at most 1 MiB.`);
  for (const line of readFileSync(sumsPath, 'utf8').split('\n')) {
    const match = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line.trim());
    if (match && match[2] === name) return match[1].toLowerCase();
  }
  return null;
}

const isFile = (path) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};
const isDir = (path) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** The first `name` on PATH that is a file, or null. */
function onPath(name, env) {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isFile(join(dir, name))) return join(dir, name);
  }
  return null;
}

/**
 * Where the build would find an entry: the kit folder first, then the entry's environment variable.
 * A refusal (a place that holds something unusable) is returned instead of a path.
 * @returns {{ path: string } | { refusal: string } | null}
 */
function locate(entry, kitDir, env) {
  if (kitDir && isFile(join(kitDir, entry.file))) return { path: join(kitDir, entry.file) };
  if (entry.kind === 'electron' && env.ELECTRON_OVERRIDE_DIST_PATH) {
    const given = resolve(env.ELECTRON_OVERRIDE_DIST_PATH);
    if (isFile(given)) return { path: given };
    if (isFile(join(given, entry.file))) return { path: join(given, entry.file) };
    if (isDir(given))
      return {
        refusal: `ELECTRON_OVERRIDE_DIST_PATH names ${given}, which does not hold ${entry.file}: an unpacked Electron cannot be checked against checksums.json; put the zip there.`,
      };
  }
  if (entry.kind === 'headers' || entry.kind === 'headers-sums') {
    const given = env.ENCLAVE_ELECTRON_HEADERS ? resolve(env.ENCLAVE_ELECTRON_HEADERS) : null;
    if (given && entry.listedAs?.endsWith('headers.tar.gz') && isFile(given)) return { path: given };
    if (given && isFile(join(dirname(given), entry.file))) return { path: join(dirname(given), entry.file) };
    if (entry.listedAs?.endsWith('headers.tar.gz') && env.npm_config_nodedir && isDir(env.npm_config_nodedir))
      return {
        refusal: `npm_config_nodedir names the folder ${resolve(env.npm_config_nodedir)}: extracted headers cannot be checked against SHASUMS256.txt; set ENCLAVE_ELECTRON_HEADERS to ${entry.file} instead.`,
      };
  }
  if (entry.kind === 'builder-binary' && env.ELECTRON_BUILDER_CACHE) {
    const cached = join(resolve(env.ELECTRON_BUILDER_CACHE), entry.releaseName, entry.file);
    if (isFile(cached)) return { path: cached };
  }
  return null;
}

/** Where an entry is expected, as the missing-file message says it. */
function expectedAt(entry, kitDir) {
  const inKit = `${kitDir ?? '$ENCLAVE_BUILD_KIT'}/${entry.file}`;
  switch (entry.kind) {
    case 'electron':
      return `${inKit} (or in the folder ELECTRON_OVERRIDE_DIST_PATH names)`;
    case 'builder-binary':
      return `${inKit} (or $ELECTRON_BUILDER_CACHE/${entry.releaseName}/${entry.file})`;
    default:
      return entry.listedAs?.endsWith('headers.tar.gz')
        ? `${inKit} (or the path ENCLAVE_ELECTRON_HEADERS names)`
        : `${inKit} (or beside the file ENCLAVE_ELECTRON_HEADERS names)`;
  }
}

/**
 * Which files of the offline build kit are here, each checked by SHA-256, for one platform.
 *
 * Looked up in the folder ENCLAVE_BUILD_KIT names (relative to `root`), then in the places the
 * individual variables name: ELECTRON_OVERRIDE_DIST_PATH (the Electron zip, or the folder holding
 * it), ENCLAVE_ELECTRON_HEADERS (the headers tarball; its SHASUMS256.txt beside it),
 * ELECTRON_BUILDER_CACHE/<releaseName>/<file> (electron-builder's own offline cache), and
 * USE_SYSTEM_FPM=true with fpm on PATH in place of the kit's fpm bundle.
 *
 * @param {{ root?: string, env?: Record<string, string|undefined>, platform?: string, manifestPath?: string }} [options]
 */
export function findBuildKit({
  root = REPO_ROOT,
  env = process.env,
  platform = `${process.platform}-${process.arch}`,
  manifestPath = DEFAULT_MANIFEST,
} = {}) {
  const manifest = loadBuildKitManifest(manifestPath);
  const kitDir = env.ENCLAVE_BUILD_KIT ? resolve(root, env.ENCLAVE_BUILD_KIT) : null;
  const systemFpm = env.USE_SYSTEM_FPM === 'true' ? onPath('fpm', env) : null;
  /** @type {{ file: string, path: string, sha256: string, verifiedBy: string, entry: KitEntry }[]} */
  const present = [];
  /** @type {{ file: string, path: string|null, reason: string }[]} */
  const refused = [];
  /** @type {{ file: string, expectedAt: string, sha256: string|null, needFor: string, message: string }[]} */
  const missing = [];
  /** @type {{ file: string, path: string, note: string }[]} */
  const systemTools = [];

  const entries = manifest.files.filter((entry) => entry.platforms.includes(platform));
  // Lists first, so the files they list can be checked against them.
  const ordered = [...entries.filter((e) => e.kind === 'headers-sums'), ...entries.filter((e) => e.kind !== 'headers-sums')];
  for (const entry of ordered) {
    if (entry.notWith === 'USE_SYSTEM_FPM' && env.USE_SYSTEM_FPM === 'true') {
      if (systemFpm) continue;
      missing.push({
        file: 'fpm',
        expectedAt: 'on PATH (USE_SYSTEM_FPM=true)',
        sha256: null,
        needFor: entry.needFor,
        message: `USE_SYSTEM_FPM=true but no fpm is on PATH: install fpm, or unset USE_SYSTEM_FPM and carry ${entry.file} in the kit; needed for ${entry.needFor}.`,
      });
      continue;
    }
    const found = locate(entry, kitDir, env);
    if (found === null) {
      const at = expectedAt(entry, kitDir);
      const hashText = entry.sha256
        ? `SHA-256 ${entry.sha256}`
        : entry.listedIn
          ? `its SHA-256 is listed in ${entry.listedIn}`
          : 'no SHA-256 is published for it';
      missing.push({
        file: entry.file,
        expectedAt: at,
        sha256: entry.sha256,
        needFor: entry.needFor,
        message: `${entry.file} is missing: put it at ${at}; ${hashText}; fetch it on a connected machine from ${entry.source}; needed for ${entry.needFor}.`,
      });
      continue;
    }
    if ('refusal' in found) {
      refused.push({ file: entry.file, path: null, reason: found.refusal });
      continue;
    }
    const size = statSync(found.path).size;
    if (size > MAX_KIT_FILE_BYTES) {
      refused.push({ file: entry.file, path: found.path, reason: `${entry.file} at ${found.path} is ${size} bytes, more than any kit file (2 GiB).` });
      continue;
    }
    let expected = entry.sha256;
    let verifiedBy = entry.sha256From;
    if (expected === null && entry.listedIn) {
      const list = present.find((p) => p.file === entry.listedIn);
      if (!list) {
        refused.push({ file: entry.file, path: found.path, reason: `${entry.file} at ${found.path} cannot be checked: ${entry.listedIn}, which lists its SHA-256, is not in the kit.` });
        continue;
      }
      expected = hashListedIn(list.path, entry.listedAs ?? entry.file);
      if (expected === null) {
        refused.push({ file: entry.file, path: found.path, reason: `${entry.file} at ${found.path} cannot be checked: ${entry.listedIn} lists no ${entry.listedAs ?? entry.file}.` });
        continue;
      }
      verifiedBy = `${entry.listedIn} (carried beside it; Electron publishes no hash for the headers in checksums.json)`;
    }
    const actual = sha256OfFile(found.path);
    if (expected !== null && actual !== expected) {
      refused.push({
        file: entry.file,
        path: found.path,
        reason: `${entry.file} at ${found.path} is refused: its SHA-256 is ${actual}, the build kit expects ${expected} (${verifiedBy}). Fetch it again from ${entry.source}.`,
      });
      continue;
    }
    present.push({ file: entry.file, path: found.path, sha256: actual, verifiedBy: expected === null ? 'not checked: nothing publishes its hash' : verifiedBy, entry });
  }
  if (systemFpm && entries.some((e) => e.notWith === 'USE_SYSTEM_FPM'))
    systemTools.push({ file: 'fpm', path: systemFpm, note: 'USE_SYSTEM_FPM=true: the system fpm is used, not hash-checked here (its package manager vouches for it)' });

  const pathOf = (kind) => present.find((p) => p.entry.kind === kind && (kind !== 'headers' || p.entry.listedAs?.endsWith('headers.tar.gz')))?.path ?? null;
  return {
    platform,
    kitDir,
    electronVersion: manifest.electronVersion,
    present,
    refused,
    missing,
    systemTools,
    complete: entries.length > 0 && refused.length === 0 && missing.length === 0,
    electronDist: pathOf('electron'),
    headers: pathOf('headers'),
    /** Builder binaries to seed into electron-builder's cache as <releaseName>/<file>. */
    builderCache: present.filter((p) => p.entry.kind === 'builder-binary').map((p) => ({ releaseName: p.entry.releaseName, file: p.file, path: p.path })),
    useSystemFpm: systemFpm !== null,
  };
}

/** One line per missing or refused file, for the release log and release.json's `missing`. */
export function describeKitProblems(kit) {
  return [...kit.refused.map((r) => r.reason), ...kit.missing.map((m) => m.message)];
}

/** `node scripts/release/build-kit.mjs [platform]`: checks the kit here and says what is missing (exit 1). */
function main() {
  const kit = findBuildKit(process.argv[2] ? { platform: process.argv[2] } : {});
  for (const file of kit.present) console.log(`ok       ${file.file}  ${file.sha256}  ${file.path}  (checked against ${file.verifiedBy})`);
  for (const tool of kit.systemTools) console.log(`system   ${tool.file}  ${tool.path}  (${tool.note})`);
  for (const line of describeKitProblems(kit)) console.log(`PROBLEM  ${line}`);
  console.log(kit.complete ? `The ${kit.platform} build kit is complete.` : `The ${kit.platform} build kit is incomplete: no installer packages can be built.`);
  process.exitCode = kit.complete ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
