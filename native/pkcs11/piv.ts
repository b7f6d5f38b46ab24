/**
 * PIV key references as OpenSC's PIV driver exposes them: each key, its certificate and its public
 * key share one CKA_ID. Objects are chosen by CKA_ID (and certificate content), never by label:
 * labels differ between middlewares (OpenSC, ActivClient, CoolKey) and anyone can write one.
 */
export const PIV_KEY_ID = {
  /** 9A: PIV Authentication, used to log in. */
  authentication: 0x01,
  /** 9C: Digital Signature; OpenSC marks it CKA_ALWAYS_AUTHENTICATE. */
  signature: 0x02,
  /** 9D: Key Management, used to unwrap the store's data key. */
  keyManagement: 0x03,
  /** 9E: Card Authentication (no PIN); never accepted for login. */
  cardAuthentication: 0x04,
} as const;

export type PivKeyName = keyof typeof PIV_KEY_ID;

/** OpenSC's default module path on Debian/Ubuntu x86-64, as in resources/site-config.default.json. */
export const DEFAULT_PKCS11_MODULE = '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so';

/** A CKA_ID given as a PIV number (0x01…) or as raw bytes. */
export function keyIdBytes(id: number | Buffer): Buffer {
  if (Buffer.isBuffer(id)) return id;
  if (!Number.isInteger(id) || id < 0 || id > 0xff)
    throw new RangeError('a numeric CKA_ID is one byte (0x01 to 0x04 for PIV)');
  return Buffer.from([id]);
}
