import { createHash } from 'node:crypto';

/**
 * Parsed certificates and CRLs, by the SHA-256 of their DER: the trust anchors, intermediates and
 * CRLs of a store are the same on every sign-in and every bundle import, and parsing them (pkijs, and
 * OpenSSL for certificates) costs more than the validation itself; a DoD CRL of tens of megabytes
 * costs seconds. Only successful parses are kept; the oldest goes first past `capacity`. Parsed
 * objects are shared, so nothing may change one after parsing.
 */
export class ParseCache<T> {
  readonly #entries = new Map<string, T>();
  constructor(private readonly capacity: number) {}

  get(der: Uint8Array, parse: () => T): T {
    const key = createHash('sha256').update(der).digest('hex');
    const found = this.#entries.get(key);
    if (found !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, found);
      return found;
    }
    const parsed = parse();
    this.#entries.set(key, parsed);
    if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value!);
    return parsed;
  }
}
