import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from './oids';
import { crlScopeKey, crlScopeWords, parseCrl } from '../pki/crl';
import {
  basicConstraints,
  formatName,
  isSelfIssued,
  MalformedInputError,
  parseCertificateDer,
  serialHex,
  sha256Hex,
  summarize,
  type CertificateSummary,
} from '../pki/x509';

/**
 * Trust anchors and CRLs as an admin imports them (files carried in by hand): PEM, DER, or a
 * certs-only PKCS#7 bundle (.p7b/.p7c, as DISA publishes its CA certificates). Each function returns
 * what the admin page shows, and refuses anything else with a message that says what the file is.
 */
export interface TrustAnchorInfo extends CertificateSummary {
  der: Buffer;
  selfSigned: boolean;
}

export interface CrlInfo {
  der: Buffer;
  issuer: string;
  thisUpdate: Date;
  nextUpdate: Date | null;
  crlNumber: string | null;
  revokedCount: number;
  sha256: string;
  /** `crlScopeKey`: CRLs of one issuer replace each other only within one scope. */
  scope: string;
  scopeWords: string;
}

export interface PemBlock {
  label: string;
  der: Buffer;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

export function pemBlocks(bytes: Buffer): PemBlock[] | null {
  const text = bytes.toString('latin1');
  if (!text.includes('-----BEGIN ')) return null;
  const blocks = [...text.matchAll(PEM_BLOCK)].map((m) => ({
    label: m[1] ?? '',
    der: Buffer.from((m[2] ?? '').replace(/\s+/g, ''), 'base64'),
  }));
  if (blocks.length === 0)
    throw new MalformedInputError('The file looks like PEM but has no complete BEGIN/END block.');
  return blocks;
}

/** What a DER blob is, judged by its outer structure, so a wrong file gets a message that names it. */
export function derKind(der: Buffer): 'pkcs7' | 'certificate' | 'crl' | 'unknown' {
  const asn1 = asn1js.fromBER(new Uint8Array(der));
  if (asn1.offset === -1 || asn1.offset !== der.length || !(asn1.result instanceof asn1js.Sequence)) return 'unknown';
  const [first, second] = asn1.result.valueBlock.value;
  if (first instanceof asn1js.ObjectIdentifier)
    return first.valueBlock.toString() === OID.signedData ? 'pkcs7' : 'unknown';
  if (!(first instanceof asn1js.Sequence)) return 'unknown';
  // TBSCertificate starts with [0] version then an INTEGER serial; TBSCertList with an optional INTEGER version then an AlgorithmIdentifier.
  const tbs = first.valueBlock.value;
  if (tbs[0]?.idBlock.tagClass === 3 && tbs[0].idBlock.tagNumber === 0) return 'certificate';
  if (
    tbs[0] instanceof asn1js.Integer &&
    tbs[1] instanceof asn1js.Sequence &&
    tbs[2] instanceof asn1js.Sequence &&
    tbs[3] instanceof asn1js.Sequence
  )
    return 'certificate'; // v1 certificate
  if (second instanceof asn1js.Sequence) return 'crl';
  return 'unknown';
}

export function certificatesFromPkcs7(der: Buffer): Buffer[] {
  try {
    const content = pkijs.ContentInfo.fromBER(der);
    const signed = new pkijs.SignedData({ schema: content.content });
    const certificates = (signed.certificates ?? []).filter(
      (c): c is pkijs.Certificate => c instanceof pkijs.Certificate,
    );
    if (certificates.length === 0) throw new MalformedInputError('The PKCS#7 bundle holds no certificates.');
    return certificates.map((c) => Buffer.from(c.toSchema(true).toBER()));
  } catch (error) {
    if (error instanceof MalformedInputError) throw error;
    throw new MalformedInputError('The file is not a valid PKCS#7 certificate bundle.');
  }
}

const NOT_A_CERTIFICATE =
  'The file is not a certificate: expected a PEM or DER X.509 certificate, or a PKCS#7 bundle (.p7b/.p7c).';

function certificateDers(bytes: Buffer): Buffer[] {
  const blocks = pemBlocks(bytes);
  if (blocks) {
    const out: Buffer[] = [];
    for (const block of blocks) {
      if (block.label === 'CERTIFICATE') out.push(block.der);
      else if (block.label === 'PKCS7') out.push(...certificatesFromPkcs7(block.der));
      else if (block.label === 'X509 CRL')
        throw new MalformedInputError('The file is a CRL, not a certificate: import it as a CRL.');
      else if (block.label.includes('PRIVATE KEY'))
        throw new MalformedInputError(
          'The file holds a private key. Trust anchors are certificates only; do not copy private keys onto this workstation.',
        );
      else throw new MalformedInputError(`The file holds a PEM "${block.label}" block, not a certificate.`);
    }
    return out;
  }
  switch (derKind(bytes)) {
    case 'certificate':
      return [bytes];
    case 'pkcs7':
      return certificatesFromPkcs7(bytes);
    case 'crl':
      throw new MalformedInputError('The file is a CRL, not a certificate: import it as a CRL.');
    default:
      throw new MalformedInputError(NOT_A_CERTIFICATE);
  }
}

/** Trust anchors from one file. Every certificate must be a CA: an end-entity anchor would trust one card, not a PKI. */
export function parseTrustAnchors(bytes: Uint8Array): TrustAnchorInfo[] {
  const ders = certificateDers(Buffer.from(bytes));
  return ders.map((der, i) => {
    const certificate = parseCertificateDer(der, ders.length > 1 ? `Certificate ${i + 1} in the file` : 'The file');
    if (!basicConstraints(certificate.pkijs).ca)
      throw new MalformedInputError(
        `"${formatName(certificate.pkijs.subject)}" is not a CA certificate (basicConstraints cA is not set), so it cannot be a trust anchor.`,
      );
    return { ...summarize(certificate), der: certificate.der, selfSigned: isSelfIssued(certificate.pkijs) };
  });
}

function crlDers(bytes: Buffer): Buffer[] {
  const blocks = pemBlocks(bytes);
  if (blocks) {
    return blocks.map((block) => {
      if (block.label === 'X509 CRL') return block.der;
      if (block.label === 'CERTIFICATE' || block.label === 'PKCS7')
        throw new MalformedInputError('The file holds certificates, not a CRL: import it as a trust anchor.');
      throw new MalformedInputError(`The file holds a PEM "${block.label}" block, not a CRL.`);
    });
  }
  const kind = derKind(bytes);
  if (kind === 'crl') return [bytes];
  if (kind === 'certificate' || kind === 'pkcs7')
    throw new MalformedInputError('The file holds certificates, not a CRL: import it as a trust anchor.');
  throw new MalformedInputError('The file is not a CRL: expected a PEM or DER X.509 CRL.');
}

/** Parses one CRL's DER: complete or delta, whole or one distribution point (the validator decides scope, RFC 5280 6.3). */
export function parseCrlDer(der: Uint8Array): pkijs.CertificateRevocationList {
  return parseCrl(der, 'The file').pkijs;
}

export function describeCrl(der: Buffer, crl: pkijs.CertificateRevocationList): CrlInfo {
  const number = crl.crlExtensions?.extensions.find((e) => e.extnID === OID.crlNumber)?.parsedValue as
    asn1js.Integer | undefined;
  return {
    der,
    issuer: formatName(crl.issuer),
    thisUpdate: crl.thisUpdate.value,
    nextUpdate: crl.nextUpdate?.value ?? null,
    crlNumber: number ? BigInt(`0x${serialHex(number) || '0'}`).toString() : null,
    revokedCount: crl.revokedCertificates?.length ?? 0,
    sha256: sha256Hex(der),
    scope: crlScopeKey(crl),
    scopeWords: crlScopeWords(crl),
  };
}

/** CRLs from one file (PEM may hold several). Signatures are checked at validation, against the issuer in the path. */
export function parseCrls(bytes: Uint8Array): CrlInfo[] {
  return crlDers(Buffer.from(bytes)).map((der) => describeCrl(der, parseCrlDer(der)));
}
