import { createHash, timingSafeEqual } from 'node:crypto';
import { TufError } from './errors';

/** The hash algorithms a TUF hashes object may name that this client computes; anything else is refused. */
const ALGORITHMS = new Set(['sha224', 'sha256', 'sha384', 'sha512']);

/**
 * Checks `bytes` against the length and every hash a snapshot, timestamp or targets entry gives for
 * them; `label` names the file in the error ("snapshot.json", "target 'a/b.txt'").
 */
export function checkLengthAndHashes(
  bytes: Uint8Array,
  expected: { length?: number | undefined; hashes?: Readonly<Record<string, string>> | undefined },
  label: string,
): void {
  if (expected.length !== undefined && bytes.length !== expected.length)
    throw new TufError('length', `${label} is ${bytes.length} bytes; the signed metadata says ${expected.length}`);
  for (const [algorithm, hex] of Object.entries(expected.hashes ?? {})) {
    if (!ALGORITHMS.has(algorithm))
      throw new TufError('hash-mismatch', `${label}: hash algorithm "${algorithm}" is not supported`);
    const actual = createHash(algorithm).update(bytes).digest();
    const wanted = Buffer.from(hex, 'hex');
    if (wanted.length !== actual.length || !timingSafeEqual(actual, wanted))
      throw new TufError(
        'hash-mismatch',
        `${label}: its ${algorithm} is ${actual.toString('hex')}; the signed metadata says ${hex.toLowerCase()}`,
      );
  }
}
