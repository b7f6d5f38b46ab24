// The manifest of an installed tree that the Linux package's after-install script checks with
// `sha256sum -c` (installer/linux/after-install.sh): written into the packed app folder after the
// fuses are flipped, so it hashes the exact bytes dpkg unpacks under /opt/Enclave.
import { createHash } from 'node:crypto';
import { closeSync, lstatSync, openSync, readdirSync, readSync, writeFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import { join } from 'node:path';

/** The manifest's file name, at the top of the install prefix. */
export const INSTALL_MANIFEST = 'enclave-install.sha256';

/** Bounds: a packed Electron app is a few hundred files; anything far beyond is not what we packed. */
const MAX_FILES = 20000;
const MAX_DEPTH = 32;

/**
 * SHA-256 of a file, read in 1 MiB chunks (the Electron zip is >100 MB).
 * @param {string} path
 * @returns {string} lowercase hex
 */
export function sha256OfFile(path) {
  const hash = createHash('sha256');
  const buffer = Buffer.alloc(1 << 20);
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      hash.update(buffer.subarray(0, read));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * Every regular file under `dir` as a path relative to it (`a/b`), sorted bytewise. Symbolic links
 * are refused: the package must not ship a link whose target the manifest cannot vouch for.
 * @param {string} dir
 * @returns {string[]}
 */
export function listInstalledFiles(dir) {
  /** @type {string[]} */
  const files = [];
  /** @param {string} rel @param {number} depth */
  const walk = (rel, depth) => {
    if (depth > MAX_DEPTH) throw new Error(`${join(dir, rel)} is nested deeper than ${MAX_DEPTH} folders.`);
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const relPath = rel ? `${rel}/${name}` : name;
      if (relPath === INSTALL_MANIFEST) continue;
      if (/[\n\r\\]/.test(relPath)) throw new Error(`${relPath}: a name with a newline or backslash cannot be listed.`);
      const stat = lstatSync(join(dir, relPath));
      if (stat.isSymbolicLink()) throw new Error(`${relPath} is a symbolic link: the install manifest lists files only.`);
      if (stat.isDirectory()) walk(relPath, depth + 1);
      else if (stat.isFile()) {
        files.push(relPath);
        if (files.length > MAX_FILES) throw new Error(`${dir} holds more than ${MAX_FILES} files.`);
      }
    }
  };
  walk('', 0);
  return files.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/**
 * Writes `<dir>/enclave-install.sha256` in sha256sum's text format (`<64 hex>  ./<path>`), one line
 * per file under `dir`, sorted bytewise; returns the number of files listed.
 * @param {string} dir
 * @returns {number}
 */
export function writeInstallManifest(dir) {
  const lines = listInstalledFiles(dir).map((rel) => `${sha256OfFile(join(dir, rel))}  ./${rel}\n`);
  writeFileSync(join(dir, INSTALL_MANIFEST), lines.join(''), { mode: 0o644 });
  return lines.length;
}
