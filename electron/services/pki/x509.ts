import { createHash, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from './oids';
import { ParseCache } from './parse-cache';

/** A certificate parsed twice: strictly by OpenSSL (X509Certificate) and structurally by pkijs. */
export interface ParsedCertificate {
  der: Buffer;
  pkijs: pkijs.Certificate;
  node: X509Certificate;
}

/** Thrown for bytes that are not what they should be; the message is for analysts (no parser text). */
export class MalformedInputError extends Error {
  override readonly name = 'MalformedInputError';
}

export function parseCertificateDer(der: Uint8Array, what = 'The certificate'): ParsedCertificate {
  return parsedCertificates.get(der, () => parseFresh(der, what));
}

const parsedCertificates = new ParseCache<ParsedCertificate>(1024);

function parseFresh(der: Uint8Array, what: string): ParsedCertificate {
  const bytes = Buffer.from(der);
  try {
    const node = new X509Certificate(bytes);
    const parsed = pkijs.Certificate.fromBER(bytes);
    if (!Buffer.from(parsed.toSchema(true).toBER()).equals(bytes)) throw new Error('trailing or re-encoded bytes');
    return { der: bytes, pkijs: parsed, node };
  } catch {
    throw new MalformedInputError(`${what} is not a valid DER-encoded X.509 certificate.`);
  }
}

const NAME_LABELS: Record<string, string> = {
  '2.5.4.6': 'C',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.3': 'CN',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.5': 'SERIALNUMBER',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
};

/** A DN as people read it: most specific first (CN=…, OU=…, O=…, C=US). */
export function formatName(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map(
      (tv) => `${NAME_LABELS[tv.type] ?? tv.type}=${String((tv.value.valueBlock as { value?: unknown }).value ?? '')}`,
    )
    .reverse()
    .join(', ');
}

export function extension(certificate: pkijs.Certificate, oid: string): pkijs.Extension | undefined {
  return certificate.extensions?.find((e) => e.extnID === oid);
}

/** Key usage bits by name, or null when the certificate has no keyUsage extension. */
export function keyUsage(certificate: pkijs.Certificate): Set<string> | null {
  const ext = extension(certificate, OID.keyUsage);
  if (!ext) return null;
  const bits = new Uint8Array((ext.parsedValue as asn1js.BitString).valueBlock.valueHexView);
  const names = [
    'digitalSignature',
    'nonRepudiation',
    'keyEncipherment',
    'dataEncipherment',
    'keyAgreement',
    'keyCertSign',
    'cRLSign',
    'encipherOnly',
    'decipherOnly',
  ];
  return new Set(names.filter((_, i) => ((bits[i >> 3] ?? 0) & (0x80 >> (i & 7))) !== 0));
}

/** basicConstraints: cA, and pathLenConstraint only when it is encoded (pkijs would report 0). */
export function basicConstraints(certificate: pkijs.Certificate): { ca: boolean; pathLength: number | null } {
  const ext = extension(certificate, OID.basicConstraints);
  if (!ext) return { ca: false, pathLength: null };
  const value = ext.parsedValue as pkijs.BasicConstraints;
  const pathLength =
    'pathLenConstraint' in value && typeof value.pathLenConstraint === 'number' ? value.pathLenConstraint : null;
  return { ca: value.cA === true, pathLength };
}

export function policies(certificate: pkijs.Certificate): string[] | null {
  const ext = extension(certificate, OID.certificatePolicies);
  return ext ? (ext.parsedValue as pkijs.CertificatePolicies).certificatePolicies.map((p) => p.policyIdentifier) : null;
}

export function extendedKeyUsage(certificate: pkijs.Certificate): string[] | null {
  const ext = extension(certificate, OID.extKeyUsage);
  return ext ? (ext.parsedValue as pkijs.ExtKeyUsage).keyPurposes : null;
}

export function isSelfIssued(certificate: pkijs.Certificate): boolean {
  return certificate.subject.isEqual(certificate.issuer);
}

export function sha256Hex(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

export function serialHex(integer: asn1js.Integer): string {
  return Buffer.from(integer.valueBlock.valueHexView).toString('hex');
}

/** What an analyst or admin is shown about a certificate. */
export interface CertificateSummary {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  sha256: string;
}

export function summarize(certificate: ParsedCertificate): CertificateSummary {
  const c = certificate.pkijs;
  return {
    subject: formatName(c.subject),
    issuer: formatName(c.issuer),
    serialNumber: serialHex(c.serialNumber),
    notBefore: c.notBefore.value,
    notAfter: c.notAfter.value,
    sha256: sha256Hex(certificate.der),
  };
}

/** The CN, for messages only: identity never comes from the name part. */
export function commonName(certificate: pkijs.Certificate): string {
  const cn = certificate.subject.typesAndValues.filter((tv) => tv.type === OID.commonName).pop();
  return cn ? String((cn.value.valueBlock as { value?: unknown }).value ?? '') : formatName(certificate.subject);
}
