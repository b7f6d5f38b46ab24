import type { KeyObject } from 'node:crypto';
import { curveFieldBytes, curveOfKey, uncompressedPoint } from './ec-keys';
import { DecryptionFailedError, KeyNotUsableError, MechanismUnsupportedError } from './errors';
import { oaepDecode } from './oaep';
import { pkcs11js } from './pkcs11js';
import type { Pkcs11Session, PrivateKeyObject } from './session';
import { digest, ecdsaRawToDer, HASH_BYTES, pkcs1DigestInfo, type HashName } from './signature-encoding';

export interface SignOptions {
  /** Digest of the data, computed in Node. Default sha256. */
  hash?: HashName;
  /** RSA only: PKCS#1 v1.5 (default) or PSS with MGF1 of the same hash and a salt of the hash's length. */
  rsaPadding?: 'pkcs1' | 'pss';
  /**
   * ECDSA only: 'der' (default) is SEQUENCE { r, s } as X.509, CMS and Node's crypto.verify expect;
   * 'raw' is r||s as the token returns it (WebCrypto, JOSE; verify with dsaEncoding 'ieee-p1363').
   */
  ecdsaEncoding?: 'der' | 'raw';
  /** Only for a CKA_ALWAYS_AUTHENTICATE key (PIV 9C): the PIN for its context-specific login. */
  pin?: string;
}

/** Big enough for any signature a PIV card makes (RSA 4096 = 512 bytes); pkcs11js trims it. */
const OUTPUT_BYTES = 1024;
const CKZ_DATA_SPECIFIED = 1;

export function signWithKey(session: Pkcs11Session, key: PrivateKeyObject, data: Buffer, options: SignOptions): Buffer {
  const P = pkcs11js();
  const hash = options.hash ?? 'sha256';
  if (!key.canSign) throw new KeyNotUsableError('C_SignInit', 'CKA_SIGN is false');
  let mechanism: import('pkcs11js').Mechanism;
  let input: Buffer;
  if (key.type === 'rsa' && options.rsaPadding === 'pss') {
    const hashAlg = hash === 'sha256' ? P.CKM_SHA256 : P.CKM_SHA384;
    const mgf = hash === 'sha256' ? P.CKG_MGF1_SHA256 : P.CKG_MGF1_SHA384;
    mechanism = {
      mechanism: P.CKM_RSA_PKCS_PSS,
      parameter: { type: P.CK_PARAMS_RSA_PSS, hashAlg, mgf, saltLen: HASH_BYTES[hash] } as import('pkcs11js').RsaPSS,
    };
    input = digest(hash, data);
  } else if (key.type === 'rsa') {
    mechanism = { mechanism: P.CKM_RSA_PKCS };
    input = pkcs1DigestInfo(hash, data);
  } else {
    mechanism = { mechanism: P.CKM_ECDSA };
    input = digest(hash, data);
  }
  const signature = session.withContextLogin(
    ['C_SignInit', (p, s) => p.C_SignInit(s, mechanism, key.handle)],
    options.pin,
    key,
    ['C_Sign', (p, s) => p.C_Sign(s, input, Buffer.alloc(OUTPUT_BYTES))],
  );
  return key.type === 'ec' && options.ecdsaEncoding !== 'raw' ? ecdsaRawToDer(signature) : signature;
}

/**
 * RSA-OAEP-SHA256 with a label. Prefers raw RSA (CKM_RSA_X_509) and strips OAEP in Node: what PIV
 * middleware does internally anyway, and the only way with SoftHSM 2.6 (OAEP there is SHA-1 without
 * label). Falls back to the token's CKM_RSA_PKCS_OAEP when it offers no raw RSA.
 */
export function decryptRsaOaep(
  session: Pkcs11Session,
  key: PrivateKeyObject,
  ciphertext: Buffer,
  label: Buffer,
  pin?: string,
): Buffer {
  const P = pkcs11js();
  if (key.type !== 'rsa') throw new KeyNotUsableError('C_DecryptInit', 'it is not an RSA key');
  if (!key.canDecrypt) throw new KeyNotUsableError('C_DecryptInit', 'CKA_DECRYPT is false');
  const k = key.modulusBytes;
  if (k === null) throw new KeyNotUsableError('C_DecryptInit', 'the token does not reveal the key size');
  if (ciphertext.length !== k) throw new DecryptionFailedError('C_Decrypt');
  // RSADP's range check (RFC 8017 5.1.2): a block at or above the modulus was encrypted to some
  // other key. Tokens answer it inconsistently (SoftHSM2: CKR_GENERAL_ERROR, which reads as a
  // broken card), so it is refused here as what it is.
  if (key.modulus && !belowModulus(ciphertext, key.modulus)) throw new DecryptionFailedError('C_Decrypt');
  const raw = session.module.mechanismFlags(session.slot, P.CKM_RSA_X_509);
  if (raw !== null && (raw & P.CKF_DECRYPT) !== 0) {
    const encoded = session.withContextLogin(
      ['C_DecryptInit', (p, s) => p.C_DecryptInit(s, { mechanism: P.CKM_RSA_X_509 }, key.handle)],
      pin,
      key,
      ['C_Decrypt', (p, s) => p.C_Decrypt(s, ciphertext, Buffer.alloc(k))],
    );
    const message = oaepDecode(encoded, k, label, 'sha256');
    encoded.fill(0);
    if (!message) throw new DecryptionFailedError('C_Decrypt');
    return message;
  }
  const oaep = session.module.mechanismFlags(session.slot, P.CKM_RSA_PKCS_OAEP);
  if (oaep === null || (oaep & P.CKF_DECRYPT) === 0)
    throw new MechanismUnsupportedError(
      'C_DecryptInit',
      'RSA decryption (neither CKM_RSA_X_509 nor CKM_RSA_PKCS_OAEP)',
    );
  const parameter = {
    type: P.CK_PARAMS_RSA_OAEP,
    hashAlg: P.CKM_SHA256,
    mgf: P.CKG_MGF1_SHA256,
    source: CKZ_DATA_SPECIFIED,
    sourceData: label.length ? label : undefined,
  };
  return session.withContextLogin(
    ['C_DecryptInit', (p, s) => p.C_DecryptInit(s, { mechanism: P.CKM_RSA_PKCS_OAEP, parameter }, key.handle)],
    pin,
    key,
    ['C_Decrypt', (p, s) => p.C_Decrypt(s, ciphertext, Buffer.alloc(k))],
  );
}

function belowModulus(block: Buffer, modulus: Buffer): boolean {
  return BigInt(`0x${block.toString('hex') || '0'}`) < BigInt(`0x${modulus.toString('hex') || '0'}`);
}

/**
 * ECDH1_DERIVE with no KDF and the peer's raw uncompressed point (the most widely accepted form).
 * The shared secret comes back as a session-only, extractable generic secret, read and destroyed.
 */
export function deriveEcdh(session: Pkcs11Session, key: PrivateKeyObject, peer: KeyObject): Buffer {
  const P = pkcs11js();
  if (key.type !== 'ec' || key.curve === null)
    throw new KeyNotUsableError('C_DeriveKey', 'it is not an EC key on a known curve');
  if (!key.canDerive) throw new KeyNotUsableError('C_DeriveKey', 'CKA_DERIVE is false');
  // C_DeriveKey has no Init to put a context login after; PIV never marks its 9D key this way.
  if (key.alwaysAuthenticate)
    throw new KeyNotUsableError('C_DeriveKey', 'it asks for the PIN at every use, which key derivation cannot pass');
  const peerCurve = curveOfKey(peer);
  if (peer.asymmetricKeyType !== 'ec' || peerCurve !== key.curve)
    throw new KeyNotUsableError(
      'C_DeriveKey',
      `the other key is ${peerCurve ?? peer.asymmetricKeyType}, the card's key is ${key.curve}`,
    );
  const mechanism = {
    mechanism: P.CKM_ECDH1_DERIVE,
    parameter: { type: P.CK_PARAMS_EC_DH, kdf: P.CKD_NULL, publicData: uncompressedPoint(peer, key.curve) },
  };
  const template = [
    { type: P.CKA_CLASS, value: P.CKO_SECRET_KEY },
    { type: P.CKA_KEY_TYPE, value: P.CKK_GENERIC_SECRET },
    { type: P.CKA_TOKEN, value: false },
    { type: P.CKA_SENSITIVE, value: false },
    { type: P.CKA_EXTRACTABLE, value: true },
    { type: P.CKA_VALUE_LEN, value: curveFieldBytes(key.curve) },
  ];
  const derived = session.invoke('C_DeriveKey', (p, s) => p.C_DeriveKey(s, mechanism, key.handle, template));
  try {
    const value = session.attribute(derived, P.CKA_VALUE);
    if (!value || value.length === 0)
      throw new KeyNotUsableError('C_GetAttributeValue', 'the token did not release the derived secret');
    return value;
  } finally {
    try {
      session.invoke('C_DestroyObject', (p, s) => p.C_DestroyObject(s, derived));
    } catch {
      // A session object: it goes with the session anyway.
    }
  }
}
