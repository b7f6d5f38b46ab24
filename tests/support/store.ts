import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreFile } from '../../electron/services/vault/store-file';

/** Test stores use a cheaper scrypt (2^12) so each unlock costs milliseconds; one test covers the default. */
export const FAST_SCRYPT = { N: 2 ** 12, r: 8, p: 1 };

export interface TempStore {
  dir: string;
  path: string;
  store: StoreFile;
  secret: string;
  cleanup(): void;
}

/** `base`: where the store's folder goes (default the system temp dir; /dev/shm makes fsync free for long loops). */
export function createTempStore(base = tmpdir()): TempStore {
  const dir = mkdtempSync(join(base, 'enclave-store-'));
  const path = join(dir, 'enclave.db');
  const { store, recoverySecret } = StoreFile.create(path, { actor: 'test-admin', scrypt: FAST_SCRYPT });
  return { dir, path, store, secret: recoverySecret, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Flips one byte of a file image, as bit rot or a careless edit would. */
export function flipByte(bytes: Buffer, offset: number): Buffer {
  bytes.writeUInt8(bytes.readUInt8(offset) ^ 0xff, offset);
  return bytes;
}
