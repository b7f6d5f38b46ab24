import { createHash, createPublicKey, sign, verify, constants, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { TufError } from './errors';
import type { MetadataKey, RoleKeys, TufSignature } from './metadata';
import type { TufPublicKey, TufScheme, TufSigner } from './signer';

/** A public key as metadata carries it; unknown fields, if any, play no part. */
export interface KeyLike {
  readonly keytype: string;
  readonly scheme: string;
  readonly keyval: { readonly public: string };
}

/** keyid = hex SHA-256 of the canonical JSON of the public key object (TUF 1.0 §4.2). */
export function computeKeyId(key: KeyLike): string {
  const object = { keytype: key.keytype, scheme: key.scheme, keyval: { public: key.keyval.public } };
  return createHash('sha256').update(canonicalJson(object)).digest('hex');
}

// The SPKI prefix of an Ed25519 public key: metadata carries the bare 32 bytes.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

interface SchemeRule {
  keytypes: readonly string[];
  curve?: string;
  hash: string | null;
}
// securesystemslib's legacy keytypes "ecdsa-sha2-nistp256/384" (keytype = scheme) are still read.
const SCHEMES: Record<TufScheme, SchemeRule> = {
  'ecdsa-sha2-nistp384': { keytypes: ['ecdsa', 'ecdsa-sha2-nistp384'], curve: 'secp384r1', hash: 'sha384' },
  'ecdsa-sha2-nistp256': { keytypes: ['ecdsa', 'ecdsa-sha2-nistp256'], curve: 'prime256v1', hash: 'sha256' },
  ed25519: { keytypes: ['ed25519'], hash: null },
  'rsassa-pss-sha256': { keytypes: ['rsa'], hash: 'sha256' },
};

function isScheme(scheme: string): scheme is TufScheme {
  return Object.hasOwn(SCHEMES, scheme);
}

/**
 * The node:crypto public key of a metadata key, or why it is unusable (unknown scheme, keytype that does
 * not go with the scheme, wrong curve, malformed key).
 */
export function publicKeyObject(key: KeyLike): KeyObject {
  if (!isScheme(key.scheme)) throw new TufError('bad-metadata', `key scheme "${key.scheme}" is not supported`);
  const rule = SCHEMES[key.scheme];
  if (!rule.keytypes.includes(key.keytype))
    throw new TufError('bad-metadata', `keytype "${key.keytype}" does not go with scheme "${key.scheme}"`);
  let object: KeyObject;
  try {
    if (key.keytype === 'ed25519') {
      if (!/^[0-9a-fA-F]{64}$/.test(key.keyval.public)) throw new Error('an ed25519 key is 32 bytes of hex');
      object = createPublicKey({
        key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(key.keyval.public, 'hex')]),
        format: 'der',
        type: 'spki',
      });
    } else object = createPublicKey({ key: key.keyval.public, format: 'pem' });
  } catch (error) {
    throw new TufError('bad-metadata', `a ${key.scheme} public key is malformed: ${(error as Error).message}`);
  }
  const expectedType = key.keytype === 'ed25519' ? 'ed25519' : key.keytype === 'rsa' ? 'rsa' : 'ec';
  if (object.asymmetricKeyType !== expectedType || object.asymmetricKeyDetails?.namedCurve !== rule.curve)
    throw new TufError('bad-metadata', `the key is not a ${key.scheme} key`);
  return object;
}

/** Whether `signatureHex` is a valid signature of `message` by `key`; any malformed input is simply "no". */
export function verifySignature(key: KeyLike, message: Uint8Array, signatureHex: string): boolean {
  if (!/^([0-9a-fA-F]{2})+$/.test(signatureHex)) return false;
  let object: KeyObject;
  try {
    object = publicKeyObject(key);
  } catch {
    return false;
  }
  const rule = SCHEMES[key.scheme as TufScheme];
  const signature = Buffer.from(signatureHex, 'hex');
  try {
    if (key.keytype === 'rsa')
      return verify(
        rule.hash,
        message,
        { key: object, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
        signature,
      );
    if (rule.curve) return verify(rule.hash, message, { key: object, dsaEncoding: 'der' }, signature);
    return verify(null, message, object, signature);
  } catch {
    return false;
  }
}

/**
 * How many DISTINCT keys of `role` signed `message`. A key listed under two keyids counts once (keys are
 * told apart by their public material), and a keyid's second signature adds nothing. A keyid is not
 * recomputed from its key: repositories made with older securesystemslib (tuf-on-ci, sigstore) hashed
 * other fields into it, and python-tuf and go-tuf accept them; the keyid only names the key.
 */
export function countValidSignatures(
  role: RoleKeys,
  keys: Readonly<Record<string, MetadataKey>>,
  message: Uint8Array,
  signatures: readonly TufSignature[],
): number {
  return validSigners(role, keys, message, signatures).length;
}

/** The keyids whose signatures count toward the threshold, one per distinct key (what a reviewer reads as "signed by"). */
export function validSigners(
  role: RoleKeys,
  keys: Readonly<Record<string, MetadataKey>>,
  message: Uint8Array,
  signatures: readonly TufSignature[],
): string[] {
  const seen = new Set<string>();
  const signers: string[] = [];
  for (const keyid of new Set(role.keyids)) {
    const key = Object.hasOwn(keys, keyid) ? keys[keyid] : undefined;
    if (!key) continue;
    // Keys are told apart by their DER public key, so one key in two PEM spellings still counts once.
    let material: string;
    try {
      material = publicKeyObject(key).export({ type: 'spki', format: 'der' }).toString('hex');
    } catch {
      continue;
    }
    if (seen.has(material)) continue;
    if (signatures.some((s) => s.keyid === keyid && verifySignature(key, message, s.sig))) {
      seen.add(material);
      signers.push(keyid);
    }
  }
  return signers;
}

/** A signer over a private key in memory: the tests' and the conformance repository's. */
export function memorySigner(privateKey: KeyObject, scheme: TufScheme): TufSigner {
  const publicKey = createPublicKey(privateKey);
  const rule = SCHEMES[scheme];
  let key: TufPublicKey;
  if (scheme === 'ed25519') {
    const x = publicKey.export({ format: 'jwk' }).x;
    if (!x) throw new Error('memorySigner: not an ed25519 key');
    key = { keytype: 'ed25519', scheme, keyval: { public: Buffer.from(x, 'base64url').toString('hex') } };
  } else {
    const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    key = { keytype: scheme === 'rsassa-pss-sha256' ? 'rsa' : 'ecdsa', scheme, keyval: { public: pem } };
  }
  publicKeyObject(key); // refuses a private key that does not fit the scheme (wrong curve, wrong type)
  return {
    key,
    sign: async (message) => {
      if (scheme === 'rsassa-pss-sha256')
        return sign(rule.hash, message, {
          key: privateKey,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
        });
      if (rule.curve) return sign(rule.hash, message, { key: privateKey, dsaEncoding: 'der' });
      return sign(null, message, privateKey);
    },
  };
}

/** The signed envelope { signed, signatures } of `signed`, one signature per signer, keyids computed. */
export async function signMetadata<T extends object>(
  signed: T,
  signers: readonly TufSigner[],
): Promise<{ signed: T; signatures: TufSignature[] }> {
  const message = canonicalJson(signed);
  const signatures: TufSignature[] = [];
  for (const signer of signers)
    signatures.push({ keyid: computeKeyId(signer.key), sig: Buffer.from(await signer.sign(message)).toString('hex') });
  return { signed, signatures };
}
