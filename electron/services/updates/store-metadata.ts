import type { Database } from 'better-sqlite3-multiple-ciphers';
import { putTrustedMetadata, trustedMetadata } from '../../db/queries/updates';
import type { TrustedMetadataStore } from './tuf/metadata-store';

/**
 * Trusted TUF metadata in the encrypted store. The client's writes are held here while a bundle is
 * verified and go into the store only in the apply's transaction (`commit`), with the payloads they
 * authorised: an inspection, or an apply that fails, leaves the trusted metadata as it was.
 */
export class StagedMetadataStore implements TrustedMetadataStore {
  readonly #db: Database;
  readonly #writes = new Map<string, Uint8Array>();

  constructor(db: Database) {
    this.#db = db;
  }

  read(role: string): Uint8Array | null {
    return this.#writes.get(role) ?? trustedMetadata(this.#db, role);
  }

  write(role: string, bytes: Uint8Array): void {
    this.#writes.set(role, Uint8Array.from(bytes));
  }

  /** The roles this verification changed. */
  get changed(): string[] {
    return [...this.#writes.keys()];
  }

  /** Writes what was verified into the store: call inside the apply's transaction. */
  commit(at: Date): void {
    for (const [role, bytes] of this.#writes) putTrustedMetadata(this.#db, role, Buffer.from(bytes), at.toISOString());
  }
}
