import { OID } from './oids';
import type { PathFailure, PathFailureCode } from './types';
import { verifyCertificateSignature } from './signature';
import { basicConstraints, formatName, keyUsage, summarize, type ParsedCertificate } from './x509';

/**
 * The per-certificate checks of RFC 5280 6.1.3 (a) and 6.1.4 (k)-(o): signature, validity, CA flags,
 * path length, key usage and critical extensions. Each returns a PathFailure or null.
 */

/** Critical extensions the validator processes; any other critical extension refuses the certificate (4.2). */
export const PROCESSED_EXTENSIONS: readonly string[] = [
  OID.subjectKeyIdentifier,
  OID.keyUsage,
  OID.subjectAltName,
  OID.basicConstraints,
  OID.certificatePolicies,
  OID.policyMappings,
  OID.authorityKeyIdentifier,
  OID.policyConstraints,
  OID.extKeyUsage,
  OID.inhibitAnyPolicy,
  OID.nameConstraints,
  OID.crlDistributionPoints,
  OID.freshestCrl,
];

/** "The certificate "CN=…"" for the target, "The CA certificate "CN=…"" for the others. */
export function describe(certificate: ParsedCertificate, index: number): string {
  const name = formatName(certificate.pkijs.subject) || '(empty subject)';
  return index === 0 ? `The certificate "${name}"` : `The CA certificate "${name}"`;
}

export function failure(
  code: PathFailureCode,
  message: string,
  certificate?: ParsedCertificate,
  index?: number,
): PathFailure {
  return { ok: false, code, message, ...(certificate ? { certificate: summarize(certificate), index } : {}) };
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const time = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** 6.1.3 (a)(1): the signature, with the working public key of the certificate above. */
export function checkSignature(
  certificate: ParsedCertificate,
  index: number,
  issuerKey: Buffer,
  issuerName: string,
): PathFailure | null {
  const verdict = verifyCertificateSignature(certificate.pkijs, issuerKey);
  if (verdict === 'valid') return null;
  if (verdict === 'unsupported')
    return failure(
      'UNSUPPORTED_ALGORITHM',
      `${describe(certificate, index)} is signed with an algorithm (${certificate.pkijs.signatureAlgorithm.algorithmId}) or by a key this workstation cannot verify.`,
      certificate,
      index,
    );
  return failure(
    'BAD_SIGNATURE',
    `The signature on ${describe(certificate, index).replace(/^The /, 'the ')} does not verify with the key of its issuer "${issuerName}": it has been altered or was not issued by that CA.`,
    certificate,
    index,
  );
}

/** 6.1.3 (a)(2): the validity period contains the time of validation. */
export function checkValidity(certificate: ParsedCertificate, index: number, at: Date): PathFailure | null {
  const notBefore = certificate.pkijs.notBefore.value;
  const notAfter = certificate.pkijs.notAfter.value;
  if (at < notBefore)
    return failure(
      'NOT_YET_VALID',
      `${describe(certificate, index)} is not valid until ${time(notBefore)}.`,
      certificate,
      index,
    );
  if (at > notAfter)
    return failure('EXPIRED', `${describe(certificate, index)} expired on ${day(notAfter)}.`, certificate, index);
  return null;
}

/** 4.2 and 6.1.4 (o) / 6.1.5 (f): a critical extension this validator does not process refuses the certificate. */
export function checkCriticalExtensions(certificate: ParsedCertificate, index: number): PathFailure | null {
  const unknown = certificate.pkijs.extensions?.find(
    (e) => e.critical && (!PROCESSED_EXTENSIONS.includes(e.extnID) || e.parsedValue === undefined),
  );
  if (!unknown) return null;
  return failure(
    'UNKNOWN_CRITICAL_EXTENSION',
    `${describe(certificate, index)} has a critical extension (${unknown.extnID}) this workstation cannot process, so it must be refused.`,
    certificate,
    index,
  );
}

/** 6.1.4 (k) and (n): an issuer in the path is a CA whose key may sign certificates. */
export function checkCaCertificate(certificate: ParsedCertificate, index: number): PathFailure | null {
  // A version 1 or 2 certificate has no basicConstraints and cannot be shown to be a CA: refused (6.1.4 (k)).
  if (!basicConstraints(certificate.pkijs).ca)
    return failure(
      'NOT_A_CA',
      `${describe(certificate, index).replace('The CA certificate', 'The certificate')} issued another certificate in the path but is not a CA certificate (basicConstraints is absent or cA is false).`,
      certificate,
      index,
    );
  const usage = keyUsage(certificate.pkijs);
  if (usage && !usage.has('keyCertSign'))
    return failure(
      'KEY_USAGE',
      `${describe(certificate, index)} may not sign certificates (its key usage lacks keyCertSign).`,
      certificate,
      index,
    );
  return null;
}

/** 6.1.4 (l)-(m): the remaining path length, after certificate i (not self-issued) has used one. */
export function nextPathLength(
  certificate: ParsedCertificate,
  index: number,
  maxPathLength: number,
  selfIssued: boolean,
): { maxPathLength: number } | PathFailure {
  let remaining = maxPathLength;
  if (!selfIssued) {
    if (remaining <= 0)
      return failure(
        'PATH_LENGTH',
        `${describe(certificate, index)} is below a CA whose path length constraint allows no more CA certificates.`,
        certificate,
        index,
      );
    remaining -= 1;
  }
  const constraint = basicConstraints(certificate.pkijs).pathLength;
  if (constraint !== null && constraint < remaining) remaining = constraint;
  return { maxPathLength: remaining };
}
