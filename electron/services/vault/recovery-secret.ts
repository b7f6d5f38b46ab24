import { randomBytes } from 'node:crypto';

// Crockford base32: no I, L, O or U, so a secret read aloud or copied by hand survives.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A fresh 256-bit recovery secret, as 13 groups of 4 characters (52 characters, 260 bits). */
export function generateRecoverySecret(): string {
  return formatRecoverySecret(randomBytes(32));
}

export function formatRecoverySecret(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out.match(/.{1,4}/g)!.join('-');
}

/** Normalises what a person typed: case, spaces and dashes do not matter; I/L read as 1, O as 0. */
export function normalizeRecoverySecret(typed: string): string {
  const cleaned = typed.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (!/^[0-9A-HJKMNP-TV-Z]{52}$/.test(cleaned))
    throw new RangeError('A recovery secret has 52 characters (13 groups of 4).');
  return cleaned;
}
