// Third-party C code compiled into a native module's .node file, which npm metadata does not show:
// better-sqlite3-multiple-ciphers builds its addon from the SQLite3 Multiple Ciphers amalgamation of
// SQLite (deps/sqlite3). The versions are read from the bundled header on every run; the licences are
// the ones that header and the amalgamation state (MIT for SQLite3 Multiple Ciphers, the SQLite blessing
// for SQLite). The amalgamation also embeds smaller crypto sources whose notices live in sqlite3.c.
import { join } from 'node:path';
import { readTextBounded } from './read-bounded.mjs';

const COMPILED_IN = {
  'better-sqlite3-multiple-ciphers': {
    header: 'deps/sqlite3/sqlite3.h',
    source: 'deps/sqlite3/sqlite3.c',
    parts: [
      {
        name: 'SQLite3MultipleCiphers',
        version: /#define SQLITE3MC_VERSION_STRING\s+"SQLite3 Multiple Ciphers ([0-9.]+)"/,
        licence: 'MIT',
        purl: (version) => `pkg:github/utelle/SQLite3MultipleCiphers@v${version}`,
      },
      {
        name: 'sqlite',
        version: /#define SQLITE_VERSION\s+"([0-9.]+)"/,
        licence: 'blessing',
        purl: (version) => `pkg:generic/sqlite@${version}`,
      },
    ],
  },
};
const MAX_HEADER_BYTES = 4 * 1024 * 1024;

/** Nested CycloneDX components for what is compiled into this package's addon; [] for other packages. */
export function compiledInComponents(packageDir, packageName, parentRef) {
  const known = COMPILED_IN[packageName];
  if (!known) return [];
  const header = readTextBounded(join(packageDir, known.header), MAX_HEADER_BYTES, 'native header');
  return known.parts.map((part) => {
    const version = part.version.exec(header)?.[1];
    if (!version) throw new Error(`SBOM: no ${part.name} version in ${packageName}/${known.header}; recheck compiled-in.mjs`);
    return {
      type: 'library',
      name: part.name,
      version,
      'bom-ref': `${parentRef}|${part.name}@${version}`,
      licenses: [{ license: { id: part.licence, acknowledgement: 'concluded' } }],
      purl: part.purl(version),
      properties: [{ name: 'enclave:compiled-into', value: `${packageName} (${known.source})` }],
    };
  });
}
