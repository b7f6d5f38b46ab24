// The kit's checksum files (docs/release.md, "Checksums"): SHA384SUMS over every file but the
// checksum files and the signature, then SHA256SUMS over every file but itself and its signature,
// so the one signed file, SHA256SUMS, covers SHA384SUMS too. The format is sha256sum's text mode,
// sorted by path, which `sha256sum -c` and Enclave's release applier both read.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listFiles } from './app-payload.mjs';

export const SIGNATURE_FILE = 'SHA256SUMS.cms';
const UNLISTED = new Set(['SHA256SUMS', SIGNATURE_FILE]);
const SAFE_PATH = /^[A-Za-z0-9._+-]+(\/[A-Za-z0-9._+-]+)*$/;

function sumsText(kitDir, algorithm, paths) {
  return paths
    .map((path) => {
      if (!SAFE_PATH.test(path) || path.split('/').some((part) => part === '..' || part === '.')) {
        throw new Error(`${path}: a kit path may hold only letters, digits and . _ + - between slashes`);
      }
      const digest = createHash(algorithm).update(readFileSync(join(kitDir, path))).digest('hex');
      return `${digest}  ${path}\n`;
    })
    .join('');
}

/** Writes SHA384SUMS and SHA256SUMS into `kitDir`; returns the paths SHA256SUMS lists. */
export function writeChecksums(kitDir) {
  const files = listFiles(kitDir).filter((path) => !UNLISTED.has(path) && path !== 'SHA384SUMS');
  writeFileSync(join(kitDir, 'SHA384SUMS'), sumsText(kitDir, 'sha384', files), { mode: 0o644 });
  const listed = [...files, 'SHA384SUMS'].sort();
  writeFileSync(join(kitDir, 'SHA256SUMS'), sumsText(kitDir, 'sha256', listed), { mode: 0o644 });
  return listed;
}
