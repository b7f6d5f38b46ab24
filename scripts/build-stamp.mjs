// The record of a build's inputs that lets `--if-changed` skip a build nothing has changed since:
// the SHA-256 of every file the bundler read. Content, not mtimes: a checkout or a copy that keeps
// the bytes needs no rebuild, and an edit that restores an mtime still gets one.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Writes the stamp for these input files (those that exist). */
export function writeStamp(stampPath, inputFiles) {
  const files = [...new Set(inputFiles)].filter((file) => existsSync(file)).sort();
  const inputs = Object.fromEntries(files.map((file) => [file, sha256(file)]));
  writeFileSync(stampPath, `${JSON.stringify({ inputs }, null, 1)}\n`);
}

/** True when every output exists and every input recorded in the stamp still has the same content. */
export function isUpToDate(stampPath, outputFiles) {
  if (!existsSync(stampPath) || !outputFiles.every((file) => existsSync(file))) return false;
  try {
    const { inputs } = JSON.parse(readFileSync(stampPath, 'utf8'));
    const entries = Object.entries(inputs);
    return entries.length > 0 && entries.every(([file, hash]) => existsSync(file) && sha256(file) === hash);
  } catch {
    return false;
  }
}
