import { createPublicKey, type KeyObject } from 'node:crypto';

/** The named curves a PIV card carries (P-256, P-384) and P-521, by their CKA_EC_PARAMS encoding. */
export type CurveName = 'P-256' | 'P-384' | 'P-521';

const CURVES: { name: CurveName; params: string; nodeName: string; fieldBytes: number }[] = [
  { name: 'P-256', params: '06082a8648ce3d030107', nodeName: 'prime256v1', fieldBytes: 32 },
  { name: 'P-384', params: '06052b81040022', nodeName: 'secp384r1', fieldBytes: 48 },
  { name: 'P-521', params: '06052b81040023', nodeName: 'secp521r1', fieldBytes: 66 },
];

export function curveFromParams(params: Buffer): CurveName | null {
  return CURVES.find((c) => c.params === params.toString('hex'))?.name ?? null;
}

export function curveFieldBytes(curve: CurveName): number {
  return CURVES.find((c) => c.name === curve)?.fieldBytes ?? 0;
}

export function curveOfKey(key: KeyObject): CurveName | null {
  const nodeName = key.asymmetricKeyDetails?.namedCurve;
  return CURVES.find((c) => c.nodeName === nodeName || c.name === nodeName)?.name ?? null;
}

/** An EC public key as the uncompressed point 04||X||Y: the form ECDH1_DERIVE takes as publicData. */
export function uncompressedPoint(key: KeyObject, curve: CurveName): Buffer {
  const jwk = key.export({ format: 'jwk' });
  const size = curveFieldBytes(curve);
  const coordinate = (value: string | undefined) => {
    const bytes = Buffer.from(value ?? '', 'base64url');
    return Buffer.concat([Buffer.alloc(Math.max(0, size - bytes.length)), bytes]);
  };
  return Buffer.concat([Buffer.from([0x04]), coordinate(jwk.x), coordinate(jwk.y)]);
}

/**
 * CKA_EC_POINT holds the DER OCTET STRING around the point (PKCS#11 v2.40), though some modules
 * store the bare point: accept both.
 */
export function publicKeyFromEcPoint(curve: CurveName, ecPoint: Buffer): KeyObject {
  const size = curveFieldBytes(curve);
  let point = ecPoint;
  if (point[0] === 0x04 && point.length !== 1 + 2 * size) {
    const lengthBytes = (point[1] ?? 0) & 0x80 ? (point[1] ?? 0) & 0x7f : 0;
    point = point.subarray(2 + lengthBytes);
  }
  if (point[0] !== 0x04 || point.length !== 1 + 2 * size)
    throw new RangeError('CKA_EC_POINT is not an uncompressed point on the key curve');
  const x = point.subarray(1, 1 + size).toString('base64url');
  const y = point.subarray(1 + size).toString('base64url');
  return createPublicKey({ key: { kty: 'EC', crv: curve, x, y }, format: 'jwk' });
}
