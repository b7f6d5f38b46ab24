import { createHash, timingSafeEqual } from 'node:crypto';
import { HASH_BYTES, type HashName } from './signature-encoding';

/**
 * RSA-OAEP decoding (RFC 8017 §7.1.2, step 3) of a raw RSA result (CKM_RSA_X_509). PIV cards do
 * raw RSA only, so middleware strips OAEP in software either way; doing it here gives one path for
 * every token, including SoftHSM 2.6, which accepts OAEP only with SHA-1 and no label.
 *
 * It runs over every byte whatever the padding holds and reports one undifferentiated failure,
 * so a caller cannot learn which check failed (Manger's attack needs that distinction).
 */
function mgf1(hash: HashName, seed: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  const counter = Buffer.alloc(4);
  for (let i = 0, made = 0; made < length; i += 1, made += HASH_BYTES[hash]) {
    counter.writeUInt32BE(i, 0);
    blocks.push(createHash(hash).update(seed).update(counter).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i += 1) out[i] = (a[i] ?? 0) ^ (b[i] ?? 0);
  return out;
}

/**
 * `encoded` is the raw RSA output; modules may drop its leading zero bytes, so it is left-padded
 * to the modulus length `k`. Returns the message, or null when the padding is not valid OAEP.
 */
export function oaepDecode(encoded: Buffer, k: number, label: Buffer, hash: HashName = 'sha256'): Buffer | null {
  const hLen = HASH_BYTES[hash];
  if (encoded.length > k || k < 2 * hLen + 2) return null;
  const em = Buffer.concat([Buffer.alloc(k - encoded.length), encoded]);
  const maskedSeed = em.subarray(1, 1 + hLen);
  const maskedDb = em.subarray(1 + hLen);
  const seed = xor(maskedSeed, mgf1(hash, maskedDb, hLen));
  const db = xor(maskedDb, mgf1(hash, seed, maskedDb.length));
  const labelHash = createHash(hash).update(label).digest();

  let bad = em[0] === 0 ? 0 : 1;
  bad |= timingSafeEqual(db.subarray(0, hLen), labelHash) ? 0 : 1;
  // Find the 0x01 after the zero padding without stopping early.
  let separator = 0;
  let inPadding = 1;
  for (let i = hLen; i < db.length; i += 1) {
    const byte = db[i] ?? 0;
    const isOne = byte === 1 ? 1 : 0;
    const isZero = byte === 0 ? 1 : 0;
    separator = inPadding & isOne ? i : separator;
    bad |= inPadding & (1 - isZero) & (1 - isOne);
    inPadding &= isZero;
  }
  bad |= separator === 0 ? 1 : 0;
  const message = Buffer.from(db.subarray(separator + 1));
  db.fill(0);
  seed.fill(0);
  em.fill(0);
  if (bad) {
    message.fill(0);
    return null;
  }
  return message;
}
