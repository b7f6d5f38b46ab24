import type { CertificateSummary } from '../pki/x509';
import type { CardIdentity } from './identity-mapping';

/**
 * The outcome of authenticating a card's PIV Authentication certificate. Every failure has a code
 * (for the UI and the audit log) and a message an analyst can act on; none carries parser or stack text.
 */
export type FailureCode =
  | 'MALFORMED'
  | 'UNTRUSTED_ISSUER'
  | 'BAD_SIGNATURE'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'BAD_KEY_USAGE'
  | 'WRONG_POLICY'
  | 'REVOKED'
  | 'CRL_MISSING'
  | 'CRL_TOO_OLD';

interface FailureBase {
  ok: false;
  message: string;
  /** The certificate the failure is about (the card's, or a CA's in its path), when there is one. */
  certificate?: CertificateSummary;
}

export type ValidationFailure =
  | (FailureBase & { code: 'MALFORMED' | 'UNTRUSTED_ISSUER' | 'BAD_SIGNATURE' | 'BAD_KEY_USAGE' })
  | (FailureBase & { code: 'EXPIRED'; certificate: CertificateSummary; notAfter: Date })
  | (FailureBase & { code: 'NOT_YET_VALID'; certificate: CertificateSummary; notBefore: Date })
  | (FailureBase & { code: 'WRONG_POLICY'; reason: 'card-authentication' | 'not-accepted'; policies: string[] })
  | (FailureBase & { code: 'REVOKED'; certificate: CertificateSummary; revokedAt: Date; reason: string | null })
  | (FailureBase & { code: 'CRL_MISSING' | 'CRL_TOO_OLD'; certificate: CertificateSummary });

/** A revocation gap the site chose to allow (revocationUnavailable: "warn"): shown and audited, not fatal. */
export interface ValidationWarning {
  code: 'CRL_MISSING' | 'CRL_TOO_OLD';
  message: string;
  certificate: CertificateSummary;
}

export interface ValidationSuccess {
  ok: true;
  /** The card's certificate first, the trust anchor last. */
  path: CertificateSummary[];
  /** The accepted policies the path is valid for. */
  policies: string[];
  identity: CardIdentity;
  warnings: ValidationWarning[];
}

export type ValidationResult = ValidationSuccess | ValidationFailure;

const day = (d: Date) => d.toISOString().slice(0, 10);
const time = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** Whose certificate a message is about: the card's, or a named CA's. */
export function who(isLeaf: boolean, name: string): string {
  return isLeaf ? 'The card’s PIV Authentication certificate' : `The CA certificate "${name}" in the card’s path`;
}

export const messages = {
  expired: (subject: string, notAfter: Date) =>
    `${subject} expired on ${day(notAfter)}. Renew the card at a card office (RAPIDS/ID office).`,
  notYetValid: (subject: string, notBefore: Date) =>
    `${subject} is not valid until ${time(notBefore)}. Check this workstation's clock, or wait until then.`,
  revoked: (subject: string, at: Date, reason: string | null) =>
    `${subject} was revoked on ${day(at)}${reason ? ` (${reason})` : ''}. This card can no longer be used to sign in.`,
  crlMissing: (issuer: string) =>
    `No current CRL from "${issuer}" has been imported, so revocation cannot be checked. An administrator must import that CA's CRL.`,
  crlTooOld: (issuer: string, thisUpdate: Date, detail: string) =>
    `The newest CRL from "${issuer}" (issued ${day(thisUpdate)}) ${detail}. An administrator must import a current CRL.`,
};
