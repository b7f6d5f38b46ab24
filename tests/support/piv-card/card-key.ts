import {
  constants,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  privateDecrypt,
  type KeyObject,
} from 'node:crypto';
import { curveBytes, ecdsaSignDigest, type CurveName } from './ecdsa';

/** PIV cryptographic algorithm identifiers (SP 800-78-4 Table 6-2) for the keys a test card holds. */
export const PIV_ALGORITHM = { rsa1024: 0x06, rsa2048: 0x07, rsa3072: 0x05, eccP256: 0x11, eccP384: 0x14 } as const;

const EC_CURVES: Record<string, CurveName> = { prime256v1: 'P-256', secp384r1: 'P-384' };

/**
 * One private key in a card slot, doing exactly what a PIV card does in GENERAL AUTHENTICATE:
 * raw RSA (m^d mod n on the block the host padded), ECDSA on the digest the host sent, ECDH.
 */
export class CardKey {
  readonly key: KeyObject;
  readonly type: 'rsa' | 'ec';
  readonly algorithm: number;
  /** RSA: modulus length; EC: field length (bytes). */
  readonly size: number;
  readonly curve: CurveName | null;
  readonly #d: Buffer | null;

  constructor(pkcs8: Buffer) {
    this.key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    const details = this.key.asymmetricKeyDetails ?? {};
    if (this.key.asymmetricKeyType === 'rsa') {
      this.type = 'rsa';
      this.curve = null;
      this.#d = null;
      this.size = (details.modulusLength ?? 0) / 8;
      const ids: Record<number, number> = {
        128: PIV_ALGORITHM.rsa1024,
        256: PIV_ALGORITHM.rsa2048,
        384: PIV_ALGORITHM.rsa3072,
      };
      const id = ids[this.size];
      if (id === undefined) throw new Error(`RSA-${this.size * 8} is not a PIV key size`);
      this.algorithm = id;
    } else if (this.key.asymmetricKeyType === 'ec' && details.namedCurve && EC_CURVES[details.namedCurve]) {
      const curve = EC_CURVES[details.namedCurve]!;
      this.type = 'ec';
      this.curve = curve;
      this.size = curveBytes(curve);
      this.algorithm = curve === 'P-256' ? PIV_ALGORITHM.eccP256 : PIV_ALGORITHM.eccP384;
      this.#d = Buffer.from(this.key.export({ format: 'jwk' }).d ?? '', 'base64url');
    } else {
      throw new Error(`unsupported card key ${this.key.asymmetricKeyType} ${details.namedCurve ?? ''}`);
    }
  }

  /** m^d mod n; throws when the block is not smaller than the modulus. */
  rawRsa(block: Buffer): Buffer {
    if (this.type !== 'rsa' || block.length !== this.size) throw new RangeError('not an RSA block of the modulus size');
    return privateDecrypt({ key: this.key, padding: constants.RSA_NO_PADDING }, block);
  }

  ecdsa(digest: Buffer): Buffer {
    if (!this.curve || !this.#d) throw new RangeError('not an EC key');
    return ecdsaSignDigest(this.curve, this.#d, digest);
  }

  /** The shared secret's X coordinate with the peer's uncompressed point 04‖X‖Y. */
  ecdh(point: Buffer): Buffer {
    const n = this.size;
    if (!this.curve || point.length !== 1 + 2 * n || point[0] !== 0x04)
      throw new RangeError('not an uncompressed point on this curve');
    const jwk = {
      kty: 'EC',
      crv: this.curve,
      x: point.subarray(1, 1 + n).toString('base64url'),
      y: point.subarray(1 + n).toString('base64url'),
    };
    return diffieHellman({ privateKey: this.key, publicKey: createPublicKey({ key: jwk, format: 'jwk' }) });
  }
}
