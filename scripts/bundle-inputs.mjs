// The record of which source files each shipped bundle was made from (dist/meta/<bundle>-inputs.json),
// written by the esbuild script and the vite plugin and read by the release SBOM. Paths are relative to
// the project root with forward slashes, sorted and de-duplicated: the same tree gives the same bytes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

export const BUNDLE_INPUTS_FORMAT = 'enclave-bundle-inputs/1';

/**
 * A bundler's module id as a project-relative path, or null for what is not a file: virtual modules
 * ("\0..."), esbuild's "(disabled):" stand-ins for browser-field exclusions, and query suffixes dropped.
 */
export function inputPath(id, projectRoot) {
  if (id.startsWith('\0') || id.startsWith('(disabled):') || id.startsWith('virtual:')) return null;
  const file = id.split('?')[0];
  if (file === '') return null;
  const absolute = isAbsolute(file) ? file : resolve(projectRoot, file);
  return relative(projectRoot, absolute).split(sep).join('/');
}

/** Writes `{ format, bundle, outputs: { <output file>: [input paths] } }` with every list sorted. */
export function writeBundleInputs(file, bundle, outputs, projectRoot) {
  const sorted = {};
  for (const output of Object.keys(outputs).sort()) {
    const paths = outputs[output].map((id) => inputPath(id, projectRoot)).filter((path) => path !== null);
    sorted[output] = [...new Set(paths)].sort();
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ format: BUNDLE_INPUTS_FORMAT, bundle, outputs: sorted }, null, 2)}\n`);
}
