import { PROCESSED_EXTENSIONS } from '../pki/basic-checks';
import { CLIENT_AUTH_EKUS } from './oids';
import { messages, who, type ValidationFailure } from './results';
import {
  basicConstraints,
  commonName,
  extendedKeyUsage,
  formatName,
  isSelfIssued,
  keyUsage,
  summarize,
  type ParsedCertificate,
} from '../pki/x509';

/**
 * Per-certificate checks of a built path (card's certificate first, anchor last): validity dates,
 * critical extensions, CA flags and path length, and the card certificate's key usage. Each returns
 * the first failure or null.
 */

/** RFC 5280 4.2: a critical extension that is not understood refuses the certificate. */
export function checkCriticalExtensions(path: ParsedCertificate[]): ValidationFailure | null {
  for (const [i, certificate] of path.entries()) {
    const unknown = certificate.pkijs.extensions?.find(
      (e) => e.critical && (!PROCESSED_EXTENSIONS.includes(e.extnID) || e.parsedValue === undefined),
    );
    if (unknown) {
      return {
        ok: false,
        code: 'MALFORMED',
        certificate: summarize(certificate),
        message: `${who(i === 0, commonName(certificate.pkijs))} has a critical extension (${unknown.extnID}) this workstation cannot process, so it must be refused.`,
      };
    }
  }
  return null;
}

export function checkDates(path: ParsedCertificate[], at: Date): ValidationFailure | null {
  for (const [i, certificate] of path.entries()) {
    const { notBefore, notAfter } = {
      notBefore: certificate.pkijs.notBefore.value,
      notAfter: certificate.pkijs.notAfter.value,
    };
    const subject = who(i === 0, commonName(certificate.pkijs));
    if (at < notBefore)
      return {
        ok: false,
        code: 'NOT_YET_VALID',
        certificate: summarize(certificate),
        notBefore,
        message: messages.notYetValid(subject, notBefore),
      };
    if (at > notAfter)
      return {
        ok: false,
        code: 'EXPIRED',
        certificate: summarize(certificate),
        notAfter,
        message: messages.expired(subject, notAfter),
      };
  }
  return null;
}

/** Every issuer must be a CA allowed to sign certificates, and no CA's pathLenConstraint may be exceeded. */
export function checkCaConstraints(path: ParsedCertificate[]): ValidationFailure | null {
  for (let i = 1; i < path.length; i++) {
    const ca = path[i]!;
    const name = formatName(ca.pkijs.subject);
    const constraints = basicConstraints(ca.pkijs);
    if (!constraints.ca)
      return {
        ok: false,
        code: 'UNTRUSTED_ISSUER',
        certificate: summarize(ca),
        message: `"${name}" issued a certificate in the card's path but is not a CA certificate (basicConstraints cA is not set).`,
      };
    const usage = keyUsage(ca.pkijs);
    if (usage && !usage.has('keyCertSign'))
      return {
        ok: false,
        code: 'BAD_KEY_USAGE',
        certificate: summarize(ca),
        message: `The CA certificate "${name}" may not sign certificates (its key usage lacks keyCertSign).`,
      };
    // Intermediates below this CA, not counting self-issued ones (RFC 5280 6.1.4 (l)).
    const below = path.slice(1, i).filter((c) => !isSelfIssued(c.pkijs)).length;
    if (constraints.pathLength !== null && below > constraints.pathLength) {
      return {
        ok: false,
        code: 'UNTRUSTED_ISSUER',
        certificate: summarize(ca),
        message: `The CA "${name}" allows at most ${constraints.pathLength} CA certificate(s) below it, and the card's path has ${below}.`,
      };
    }
  }
  return null;
}

/** The card's certificate: an end-entity certificate for digital signatures, and for client authentication when it names uses. */
export function checkLeafUsage(leaf: ParsedCertificate): ValidationFailure | null {
  const certificate = summarize(leaf);
  if (basicConstraints(leaf.pkijs).ca)
    return {
      ok: false,
      code: 'BAD_KEY_USAGE',
      certificate,
      message: 'The card presented a CA certificate as its PIV Authentication certificate.',
    };
  const usage = keyUsage(leaf.pkijs);
  if (!usage?.has('digitalSignature')) {
    return {
      ok: false,
      code: 'BAD_KEY_USAGE',
      certificate,
      message:
        'The card’s PIV Authentication certificate does not allow digital signatures (key usage), so it cannot prove the card holder is present.',
    };
  }
  const ekus = extendedKeyUsage(leaf.pkijs);
  if (ekus && !ekus.some((e) => (CLIENT_AUTH_EKUS as readonly string[]).includes(e))) {
    return {
      ok: false,
      code: 'BAD_KEY_USAGE',
      certificate,
      message:
        'The card’s PIV Authentication certificate is not issued for client authentication or smart-card logon (extended key usage).',
    };
  }
  return null;
}
