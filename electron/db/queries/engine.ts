import type { Database } from 'better-sqlite3-multiple-ciphers';
import { sql } from './sql';

/** The SQLite engine check's probes (native/sqlite/engine-check.ts), on a throw-away encrypted file. */
const cipherVersion = sql<[], { v: string }>('select sqlite3mc_version() as v');
const probeValue = sql<[], { value: string }>('select value from probe');

/** SQLite3 Multiple Ciphers' version string. */
export function sqliteCipherVersion(db: Database): string {
  return cipherVersion.get(db)!.v;
}

/** The value written into the probe table, or undefined when it did not read back. */
export function readProbe(db: Database): string | undefined {
  return probeValue.get(db)?.value;
}
