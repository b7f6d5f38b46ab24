import { createHash, verify, X509Certificate, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/**
 * The bundle signature (docs/bundle-format.md, "Signature"): a detached CMS SignedData (RFC 5652)
 * over tagmanifest-sha512.txt, one SignerInfo with signed attributes (content type, signing time,
 * message digest), SHA-384, and the signer's certificate chain. The private key never comes here:
 * `sign` is the token's (PIV 9C through PKCS#11), given the DER of the signed attributes.
 */
const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  ecdsaSha384: '1.2.840.10045.4.3.3',
  rsaSha384: '1.2.840.113549.1.1.12',
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaSha256: '1.2.840.10045.4.3.2',
  ecdsaSha512: '1.2.840.10045.4.3.4',
  rsaSha256: '1.2.840.113549.1.1.11',
  rsaSha512: '1.2.840.113549.1.1.13',
} as const;

const HASHES: Record<string, 'sha256' | 'sha384' | 'sha512'> = {
  [OID.sha256]: 'sha256',
  [OID.sha384]: 'sha384',
  [OID.sha512]: 'sha512',
};
/** Signature algorithms accepted on verification, with the key type and hash each implies. */
const SIGNATURE_ALGORITHMS: Record<string, { key: 'ec' | 'rsa'; hash: string | null }> = {
  [OID.ecdsaSha256]: { key: 'ec', hash: 'sha256' },
  [OID.ecdsaSha384]: { key: 'ec', hash: 'sha384' },
  [OID.ecdsaSha512]: { key: 'ec', hash: 'sha512' },
  [OID.rsaSha256]: { key: 'rsa', hash: 'sha256' },
  [OID.rsaSha384]: { key: 'rsa', hash: 'sha384' },
  [OID.rsaSha512]: { key: 'rsa', hash: 'sha512' },
  // rsaEncryption as a signature algorithm (RFC 5754 allows it): the digest algorithm says which hash.
  [OID.rsaEncryption]: { key: 'rsa', hash: null },
};

/** The signer: its certificate, the CA certificates to carry, and the token's signing operation. */
export interface CmsSigner {
  certificate: Buffer;
  chain: readonly Buffer[];
  /** Signs `data` with SHA-384: ECDSA (DER SEQUENCE {r, s}) or RSA PKCS#1 v1.5, as the key is. */
  sign(data: Buffer): Buffer;
}

/** A detached CMS SignedData (ContentInfo, DER) over `content`. */
export function signDetached(content: Buffer, signer: CmsSigner, signingTime: Date): Buffer {
  const certificate = pkijs.Certificate.fromBER(signer.certificate);
  const keyType = new X509Certificate(signer.certificate).publicKey.asymmetricKeyType;
  if (keyType !== 'ec' && keyType !== 'rsa') throw new Error(`a ${keyType} signing key is not supported`);
  const digest = createHash('sha384').update(content).digest();
  const attributes = [
    new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
    new pkijs.Attribute({ type: OID.signingTime, values: [new asn1js.UTCTime({ valueDate: signingTime })] }),
    new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: digest })] }),
  ];
  // DER: a SET OF is sorted by its members' encodings, which is what OpenSSL re-encodes to verify.
  attributes.sort((a, b) => Buffer.compare(derOf(a.toSchema()), derOf(b.toSchema())));
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes });
  const toSign = Buffer.concat(attributes.map((a) => derOf(a.toSchema())));
  const signature = signer.sign(Buffer.concat([setHeader(toSign.length), toSign]));
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha384 }),
    signedAttrs,
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({
      algorithmId: keyType === 'ec' ? OID.ecdsaSha384 : OID.rsaSha384,
      ...(keyType === 'rsa' ? { algorithmParams: new asn1js.Null() } : {}),
    }),
    signature: new asn1js.OctetString({ valueHex: signature }),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha384 })],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    certificates: [certificate, ...signer.chain.map((der) => pkijs.Certificate.fromBER(der))],
    signerInfos: [signerInfo],
  });
  const info = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
  return derOf(info.toSchema());
}

export type CmsProblem = {
  code: 'SIGNATURE_MALFORMED' | 'SIGNATURE_INVALID' | 'SIGNATURE_UNSUPPORTED';
  message: string;
};
export type CmsVerdict =
  { ok: true; signer: Buffer; certificates: Buffer[]; signingTime: Date | null } | ({ ok: false } & CmsProblem);

const malformed = (why: string): CmsVerdict => ({
  ok: false,
  code: 'SIGNATURE_MALFORMED',
  message: `The bundle signature (signature.cms) is not a valid detached CMS signature: ${why}.`,
});

/**
 * Checks the signature over `content`: structure, the message digest, and the signature with the
 * signer certificate's key. Whether that certificate is trusted is the path validator's question.
 */
export function verifyDetached(der: Buffer, content: Buffer): CmsVerdict {
  let signedData: pkijs.SignedData;
  try {
    const parsed = asn1js.fromBER(new Uint8Array(der));
    if (parsed.offset !== der.length) return malformed('it has bytes after the signature');
    const info = new pkijs.ContentInfo({ schema: parsed.result });
    if (info.contentType !== OID.signedData) return malformed('it is not SignedData');
    signedData = new pkijs.SignedData({ schema: info.content });
  } catch {
    return malformed('it cannot be parsed');
  }
  if (signedData.encapContentInfo.eContent) return malformed('it carries content instead of being detached');
  if (signedData.encapContentInfo.eContentType !== OID.data) return malformed('its content type is not data');
  if (signedData.signerInfos.length !== 1) return malformed(`it has ${signedData.signerInfos.length} signers, not one`);
  const certificates = (signedData.certificates ?? []).filter(
    (c): c is pkijs.Certificate => c instanceof pkijs.Certificate,
  );
  if (certificates.length === 0 || certificates.length > 16)
    return malformed('it carries no certificates, or too many');
  const signerInfo = signedData.signerInfos[0]!;
  const signer = certificates.find((c) => identifies(signerInfo.sid, c));
  if (!signer) return malformed('the signer certificate is not in it');
  const hash = HASHES[signerInfo.digestAlgorithm.algorithmId];
  const algorithm = SIGNATURE_ALGORITHMS[signerInfo.signatureAlgorithm.algorithmId];
  if (!hash || !algorithm || (algorithm.hash && algorithm.hash !== hash))
    return {
      ok: false,
      code: 'SIGNATURE_UNSUPPORTED',
      message: `The bundle signature uses an algorithm this workstation does not accept (digest ${signerInfo.digestAlgorithm.algorithmId}, signature ${signerInfo.signatureAlgorithm.algorithmId}).`,
    };
  const attributes = signerInfo.signedAttrs?.attributes ?? [];
  const one = (type: string) => {
    const found = attributes.filter((a) => a.type === type);
    return found.length === 1 && found[0]!.values.length === 1 ? found[0]!.values[0] : undefined;
  };
  const contentType = one(OID.contentType);
  const messageDigest = one(OID.messageDigest);
  if (!(contentType instanceof asn1js.ObjectIdentifier) || contentType.valueBlock.toString() !== OID.data)
    return malformed('its signed content-type attribute is missing or not data');
  if (!(messageDigest instanceof asn1js.OctetString)) return malformed('its message-digest attribute is missing');
  const expected = createHash(hash).update(content).digest();
  if (!Buffer.from(messageDigest.valueBlock.valueHexView).equals(expected))
    return {
      ok: false,
      code: 'SIGNATURE_INVALID',
      message:
        'The bundle signature does not match tagmanifest-sha512.txt: the tag manifest was changed after signing.',
    };
  const encoded = signerInfo.signedAttrs?.encodedValue;
  if (!encoded || encoded.byteLength === 0) return malformed('its signed attributes cannot be read');
  const signedBytes = Buffer.from(encoded);
  signedBytes[0] = 0x31; // signed over as SET OF, carried as [0] IMPLICIT
  const signerDer = derOf(signer.toSchema());
  let key: KeyObject;
  try {
    key = new X509Certificate(signerDer).publicKey;
  } catch {
    return malformed('its signer certificate cannot be read');
  }
  if (key.asymmetricKeyType !== algorithm.key)
    return malformed(`its signature algorithm does not fit the signer's ${key.asymmetricKeyType} key`);
  let valid: boolean;
  try {
    valid = verify(hash, signedBytes, key, Buffer.from(signerInfo.signature.valueBlock.valueHexView));
  } catch {
    valid = false; // OpenSSL throws on a signature that is not even well formed
  }
  if (!valid)
    return {
      ok: false,
      code: 'SIGNATURE_INVALID',
      message: "The bundle signature does not verify with the signer certificate's key.",
    };
  const timeValue = one(OID.signingTime);
  const signingTime =
    timeValue instanceof asn1js.UTCTime || timeValue instanceof asn1js.GeneralizedTime ? timeValue.toDate() : null;
  return {
    ok: true,
    signer: signerDer,
    certificates: certificates.filter((c) => c !== signer).map((c) => derOf(c.toSchema())),
    signingTime,
  };
}

function identifies(sid: pkijs.SignerInfo['sid'], certificate: pkijs.Certificate): boolean {
  if (sid instanceof pkijs.IssuerAndSerialNumber)
    return sid.issuer.isEqual(certificate.issuer) && sid.serialNumber.isEqual(certificate.serialNumber);
  return false;
}

function derOf(schema: asn1js.AsnType): Buffer {
  return Buffer.from(schema.toBER(false));
}

/** The header of a DER SET of `length` bytes. */
function setHeader(length: number): Buffer {
  if (length < 0x80) return Buffer.from([0x31, length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([0x31, 0x80 | bytes.length, ...bytes]);
}
