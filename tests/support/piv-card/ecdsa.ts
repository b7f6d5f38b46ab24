import { createECDH, randomBytes } from 'node:crypto';

/**
 * ECDSA over a digest the host computed (PIV cards sign what they are given: OpenSC sends the hash,
 * sized to the field). node:crypto only signs messages it hashes itself, so this does the
 * arithmetic with BigInt and gets the point k·G from node's ECDH (public key of the scalar k).
 */
export type CurveName = 'P-256' | 'P-384';

const CURVES: Record<CurveName, { openssl: string; n: bigint; bytes: number }> = {
  'P-256': { openssl: 'prime256v1', n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n, bytes: 32 },
  'P-384': {
    openssl: 'secp384r1',
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    bytes: 48,
  },
};

export const curveBytes = (curve: CurveName) => CURVES[curve].bytes;

const toBig = (bytes: Buffer) => (bytes.length ? BigInt(`0x${bytes.toString('hex')}`) : 0n);

function toBytes(value: bigint, length: number): Buffer {
  return Buffer.from(value.toString(16).padStart(length * 2, '0'), 'hex');
}

function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [mod(a, m), m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0, m);
}

function derInteger(value: bigint): Buffer {
  const hex = value.toString(16);
  let bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
}

/** Signs `digest` with private scalar `d`; returns DER ECDSA-Sig-Value, as SP 800-73-4 specifies. */
export function ecdsaSignDigest(curve: CurveName, d: Buffer, digest: Buffer): Buffer {
  const { openssl, n, bytes } = CURVES[curve];
  const bits = n.toString(2).length;
  let e = toBig(digest);
  if (digest.length * 8 > bits) e >>= BigInt(digest.length * 8 - bits);
  const dd = toBig(d);
  for (;;) {
    const k = mod(toBig(randomBytes(bytes + 8)), n - 1n) + 1n;
    const ecdh = createECDH(openssl);
    ecdh.setPrivateKey(toBytes(k, bytes));
    const r = mod(toBig(ecdh.getPublicKey().subarray(1, 1 + bytes)), n);
    if (r === 0n) continue;
    const s = mod(modInverse(k, n) * (e + r * dd), n);
    if (s === 0n) continue;
    const body = Buffer.concat([derInteger(r), derInteger(s)]);
    return Buffer.concat([
      Buffer.from([0x30]),
      body.length < 0x80 ? Buffer.from([body.length]) : Buffer.from([0x81, body.length]),
      body,
    ]);
  }
}
