import { createPublicKey, verify, constants, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/**
 * Signature checks on certificates and CRLs with Node's OpenSSL: RSA PKCS#1 v1.5, RSASSA-PSS, ECDSA
 * and DSA (so PKITS 4.1.4-4.1.6 run). A key whose DSA parameters are inherited from its issuer
 * (RFC 5280 6.1.4 (e)-(f)) is completed by `workingKey` before use.
 */
export type SignatureVerdict = 'valid' | 'invalid' | 'unsupported';

const HASH_BY_SIGNATURE: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1', // sha1WithRSAEncryption
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.10045.4.1': 'sha1', // ecdsa-with-SHA1
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.2.840.10040.4.3': 'sha1', // dsa-with-sha1
  '2.16.840.1.101.3.4.3.1': 'sha224', // dsa-with-sha224
  '2.16.840.1.101.3.4.3.2': 'sha256', // dsa-with-sha256
};
const RSASSA_PSS = '1.2.840.113549.1.1.10';
const HASH_BY_OID: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
const DSA_KEY = '1.2.840.10040.4.1';

/** The SPKI's algorithm OID and whether its parameters are absent (a DSA key inheriting them). */
export function spkiParametersMissing(spki: pkijs.PublicKeyInfo): boolean {
  return spki.algorithm.algorithmId === DSA_KEY && spki.algorithm.algorithmParams === undefined;
}

/**
 * 6.1.4 (e)-(f): the working public key for the next certificate: this certificate's SPKI, with the
 * previous working key's DSA parameters when this one omits them. DER of a SubjectPublicKeyInfo.
 */
export function workingKey(spki: pkijs.PublicKeyInfo, previous: Buffer | null): Buffer {
  if (spkiParametersMissing(spki) && previous) {
    const inherited = pkijs.PublicKeyInfo.fromBER(previous);
    if (inherited.algorithm.algorithmId === DSA_KEY && inherited.algorithm.algorithmParams !== undefined) {
      const completed = new pkijs.PublicKeyInfo({
        algorithm: new pkijs.AlgorithmIdentifier({
          algorithmId: DSA_KEY,
          algorithmParams: inherited.algorithm.algorithmParams,
        }),
        subjectPublicKey: spki.subjectPublicKey,
      });
      return Buffer.from(completed.toSchema().toBER());
    }
  }
  return Buffer.from(spki.toSchema().toBER());
}

interface PssParameters {
  hash: string;
  saltLength: number;
}

function pssParameters(algorithm: pkijs.AlgorithmIdentifier): PssParameters | null {
  try {
    const params = new pkijs.RSASSAPSSParams({ schema: algorithm.algorithmParams as asn1js.Sequence });
    const hash = HASH_BY_OID[params.hashAlgorithm.algorithmId];
    return hash ? { hash, saltLength: params.saltLength } : null;
  } catch {
    return null;
  }
}

function publicKey(spkiDer: Buffer): KeyObject | null {
  try {
    return createPublicKey({ key: spkiDer, format: 'der', type: 'spki' });
  } catch {
    return null;
  }
}

/** Verifies `signature` over `signed` made with `algorithm`, against the key `spkiDer`. */
export function verifySignature(
  signed: Uint8Array,
  algorithm: pkijs.AlgorithmIdentifier,
  signature: Uint8Array,
  spkiDer: Buffer,
): SignatureVerdict {
  const key = publicKey(spkiDer);
  if (!key) return 'unsupported';
  try {
    if (algorithm.algorithmId === RSASSA_PSS) {
      const pss = pssParameters(algorithm);
      if (!pss || key.asymmetricKeyType?.startsWith('rsa') !== true) return 'unsupported';
      const ok = verify(
        pss.hash,
        signed,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength },
        signature,
      );
      return ok ? 'valid' : 'invalid';
    }
    const hash = HASH_BY_SIGNATURE[algorithm.algorithmId];
    if (!hash) return 'unsupported';
    const family = algorithm.algorithmId.startsWith('1.2.840.113549')
      ? 'rsa'
      : algorithm.algorithmId.startsWith('1.2.840.10045')
        ? 'ec'
        : 'dsa';
    if (key.asymmetricKeyType !== family) return 'invalid'; // a key of another kind cannot have made it
    const ok = verify(hash, signed, family === 'rsa' ? key : { key, dsaEncoding: 'der' }, signature);
    return ok ? 'valid' : 'invalid';
  } catch {
    return 'invalid'; // OpenSSL refuses malformed signatures by throwing
  }
}

/**
 * Verdicts already reached, per parsed object and key: a verdict is a function of the signed bytes
 * and the key alone, and parsed certificates and CRLs are shared between validations (x509.ts,
 * crl.ts), so path building and every later sign-in or import do not verify the same pair again.
 */
const verdicts = new WeakMap<object, Map<string, SignatureVerdict>>();

function remembered(signedObject: object, key: Buffer, check: () => SignatureVerdict): SignatureVerdict {
  let byKey = verdicts.get(signedObject);
  if (!byKey) verdicts.set(signedObject, (byKey = new Map()));
  const id = key.toString('base64');
  let verdict = byKey.get(id);
  if (verdict === undefined) byKey.set(id, (verdict = check()));
  return verdict;
}

/** A certificate's signature, checked against its issuer's working key. */
export function verifyCertificateSignature(certificate: pkijs.Certificate, issuerKey: Buffer): SignatureVerdict {
  return remembered(certificate, issuerKey, () =>
    verifySignature(
      certificate.tbsView,
      certificate.signatureAlgorithm,
      certificate.signatureValue.valueBlock.valueHexView,
      issuerKey,
    ),
  );
}

/** A CRL's signature, checked against its signer's working key. */
export function verifyCrlSignature(crl: pkijs.CertificateRevocationList, signerKey: Buffer): SignatureVerdict {
  return remembered(crl, signerKey, () =>
    verifySignature(crl.tbsView, crl.signatureAlgorithm, crl.signatureValue.valueBlock.valueHexView, signerKey),
  );
}
