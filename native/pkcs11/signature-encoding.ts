import { createHash } from 'node:crypto';

/**
 * Hashing and signature encodings done in Node, so the token only performs the raw operations
 * every PIV card supports (CKM_RSA_PKCS, CKM_RSA_PKCS_PSS on a digest, CKM_ECDSA): PIV cards hash
 * nothing themselves, so middleware would hash in software anyway, and large data never crosses
 * the card interface.
 */
export type HashName = 'sha256' | 'sha384';

export const HASH_BYTES: Record<HashName, number> = { sha256: 32, sha384: 48 };

/** DER DigestInfo prefixes (RFC 8017 §9.2 note 1) for PKCS#1 v1.5 signatures. */
const DIGEST_INFO_PREFIX: Record<HashName, Buffer> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
};

export function digest(hash: HashName, data: Buffer): Buffer {
  return createHash(hash).update(data).digest();
}

export function pkcs1DigestInfo(hash: HashName, data: Buffer): Buffer {
  return Buffer.concat([DIGEST_INFO_PREFIX[hash], digest(hash, data)]);
}

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  if (length < 0x100) return Buffer.from([0x81, length]);
  return Buffer.from([0x82, length >> 8, length & 0xff]);
}

function derUnsignedInteger(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
  let body = bytes.subarray(start);
  if ((body[0] ?? 0) & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return Buffer.concat([Buffer.from([0x02]), derLength(body.length), body]);
}

/**
 * PKCS#11 CKM_ECDSA returns r||s, each the width of the curve order (raw, as in WebCrypto and
 * JOSE); X.509, CMS and Node's crypto.verify expect the DER SEQUENCE { r INTEGER, s INTEGER }.
 */
export function ecdsaRawToDer(raw: Buffer): Buffer {
  if (raw.length === 0 || raw.length % 2 !== 0)
    throw new RangeError('an ECDSA signature r||s has an even, non-zero length');
  const half = raw.length / 2;
  const body = Buffer.concat([derUnsignedInteger(raw.subarray(0, half)), derUnsignedInteger(raw.subarray(half))]);
  return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
}
