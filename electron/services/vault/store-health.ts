import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PAGE_SIZE } from '../../db/connection';
import { readKeyHeader } from './keyslots';
import { StoreError } from '../../db/store-error';

/** What can be said about the store without unlocking it: present, its key slots readable, its size whole. */
export function storeHealth(dataDir: string): { ok: boolean; detail: string } {
  const path = join(dataDir, 'enclave.db');
  if (!existsSync(path) && !existsSync(`${path}.keys`))
    return { ok: true, detail: 'not set up yet: first-run setup (or enclave db init) creates it' };
  if (!existsSync(path))
    return { ok: false, detail: `${path} is missing but its key file is present: restore it from a backup` };
  try {
    const header = readKeyHeader(`${path}.keys`);
    const size = statSync(path).size;
    if (size % PAGE_SIZE !== 0) return { ok: false, detail: `${path} is truncated (${size} bytes)` };
    return {
      ok: true,
      detail: `present, ${Math.round(size / 1024)} KiB, ${header.slots.length} key slot${header.slots.length === 1 ? '' : 's'} (${header.slots.map((s) => s.type).join(', ')})`,
    };
  } catch (error) {
    return { ok: false, detail: error instanceof StoreError ? error.message : 'the key file cannot be read' };
  }
}
