import type { IdentitySettings } from '../../../common/site/site-config';
import { parseCrl } from '../pki/crl';
import { OID } from '../pki/oids';
import type { ParsedCrl, PathFailure, PathWarning } from '../pki/types';
import { validateCertificatePath } from '../pki/validate-path';
import { commonName, MalformedInputError, parseCertificateDer, type ParsedCertificate } from '../pki/x509';
import { checkCaConstraints, checkCriticalExtensions, checkDates } from './constraints';
import { cardIdentity, hasIdentifier } from './identity-mapping';
import { checkPivRules, pivPolicyDecision } from './piv-rules';
import { messages, who, type ValidationFailure, type ValidationResult, type ValidationWarning } from './results';
import { summarize } from '../pki/x509';

export interface ValidationInput {
  /** The PIV Authentication certificate (CKA_ID 01, slot 9A), DER. */
  certificate: Uint8Array;
  /** CA certificates that may complete the path: from the card, or imported. Not trusted by themselves. */
  intermediates?: Uint8Array[];
  /** The trust anchors from the store (DER). */
  trustAnchors: Uint8Array[];
  /** The imported CRLs (DER). */
  crls: Uint8Array[];
  settings: IdentitySettings;
  /** The time to validate at (default now). */
  at?: Date;
}

function malformed(message: string): ValidationFailure {
  return { ok: false, code: 'MALFORMED', message };
}

/**
 * Authenticates a card's PIV Authentication certificate: the card holder must be identifiable, the
 * RFC 5280 validator (electron/services/pki) must find a valid path to a trust anchor with every
 * certificate's revocation checked, and the PIV rules (piv-rules.ts) must hold. The refusal codes and
 * messages are card login's own (docs/login.md); revocation gaps may be warnings by site choice.
 */
export async function validateAuthenticationCertificate(input: ValidationInput): Promise<ValidationResult> {
  let leaf: ParsedCertificate;
  let intermediates: ParsedCertificate[];
  let anchors: ParsedCertificate[];
  try {
    leaf = parseCertificateDer(input.certificate, 'The card’s PIV Authentication certificate');
    intermediates = (input.intermediates ?? []).map((der) =>
      parseCertificateDer(der, 'An intermediate CA certificate'),
    );
    anchors = input.trustAnchors.map((der) => parseCertificateDer(der, 'A stored trust anchor'));
  } catch (error) {
    return malformed(error instanceof MalformedInputError ? error.message : 'A certificate could not be read.');
  }
  // Stored CRLs were checked at import; one that no longer parses simply does not count (and so fails closed).
  const crls = input.crls.flatMap((der): ParsedCrl[] => {
    try {
      return [parseCrl(der)];
    } catch {
      return [];
    }
  });
  const at = input.at ?? new Date();

  const identity = cardIdentity(leaf.pkijs);
  if (!hasIdentifier(identity))
    return {
      ...malformed('The card’s certificate carries no EDIPI, UPN or card UUID, so its holder cannot be identified.'),
      certificate: summarize(leaf),
    };

  const result = await validateCertificatePath({
    target: leaf,
    intermediates,
    anchors,
    crls,
    at,
    initialPolicySet: [OID.anyPolicy],
    revocation: input.settings.revocationUnavailable === 'refuse' ? 'require' : 'warn',
    maxCrlAgeDays: input.settings.maxCrlAgeDays,
  });
  if (!result.ok) return loginFailure(result, leaf, at);

  const piv = checkPivRules(leaf, result, input.settings.authenticationPolicies);
  if (piv) return piv;
  const decision = pivPolicyDecision(leaf, result, input.settings.authenticationPolicies);
  return {
    ok: true,
    path: result.path.map(summarize),
    policies: decision.ok ? decision.policies : [],
    identity,
    warnings: result.warnings.map(loginWarning),
  };
}

const ADMIN_SENTENCE: Record<PathWarning['code'], string> = {
  CRL_MISSING: '',
  CRL_INVALID: '',
  CRL_TOO_OLD: ' An administrator must import a current CRL.',
};

/** Revocation gaps in card login's words: an unusable CRL is, to the user, a missing one. */
function revocationMessage(code: PathWarning['code'], message: string, issuer: string): string {
  return code === 'CRL_TOO_OLD' ? `${message}${ADMIN_SENTENCE[code]}` : messages.crlMissing(issuer);
}

function loginWarning(warning: PathWarning): ValidationWarning {
  const code = warning.code === 'CRL_TOO_OLD' ? 'CRL_TOO_OLD' : 'CRL_MISSING';
  const message = revocationMessage(warning.code, warning.message, warning.certificate.issuer);
  return {
    code,
    certificate: warning.certificate,
    message: `${message} Allowed by this site's configuration (revocationUnavailable: warn).`,
  };
}

/** The validator's refusal in card login's codes and words (unchanged for users since before the validator). */
function loginFailure(failure: PathFailure, leaf: ParsedCertificate, at: Date): ValidationFailure {
  const path = failure.path ?? [];
  const certificate = failure.certificate;
  const subject = who((failure.index ?? 0) === 0, certificateName(failure, path));
  switch (failure.code) {
    case 'MALFORMED':
      return { ok: false, code: 'MALFORMED', message: failure.message, certificate };
    case 'NO_PATH':
      return {
        ok: false,
        code: 'UNTRUSTED_ISSUER',
        certificate: summarize(leaf),
        message: `The card's certificate was issued by "${summarize(leaf).issuer}", which does not chain to a trust anchor on this workstation. An administrator must import that PKI's root (and intermediate) certificates if it is to be trusted.`,
      };
    case 'BAD_SIGNATURE':
    case 'UNSUPPORTED_ALGORITHM':
      return {
        ok: false,
        code: 'BAD_SIGNATURE',
        certificate,
        message: `The signature on "${certificate?.subject ?? summarize(leaf).subject}" does not verify with the key of its issuer "${certificate?.issuer ?? summarize(leaf).issuer}". The certificate has been altered or was not issued by that CA.`,
      };
    case 'EXPIRED':
    case 'NOT_YET_VALID':
      return checkDates(path, at) ?? { ok: false, code: 'UNTRUSTED_ISSUER', certificate, message: failure.message };
    case 'UNKNOWN_CRITICAL_EXTENSION':
      return checkCriticalExtensions(path) ?? { ok: false, code: 'MALFORMED', certificate, message: failure.message };
    case 'NOT_A_CA':
    case 'PATH_LENGTH':
    case 'KEY_USAGE':
      return (
        checkCaConstraints(path) ?? {
          ok: false,
          code: failure.code === 'KEY_USAGE' ? 'BAD_KEY_USAGE' : 'UNTRUSTED_ISSUER',
          certificate,
          message: failure.message,
        }
      );
    case 'NAME_CONSTRAINTS':
    case 'POLICY':
      return {
        ok: false,
        code: 'UNTRUSTED_ISSUER',
        certificate,
        message: `The card's certificate path to "${path.length > 0 ? summarize(path[path.length - 1]!).subject : 'its trust anchor'}" is not valid: ${failure.message}`,
      };
    case 'REVOKED':
      return {
        ok: false,
        code: 'REVOKED',
        certificate: certificate!,
        revokedAt: failure.revokedAt!,
        reason: failure.revocationReason ?? null,
        message: messages.revoked(subject, failure.revokedAt!, failure.revocationReason ?? null),
      };
    case 'CRL_MISSING':
    case 'CRL_INVALID':
    case 'CRL_TOO_OLD':
      return {
        ok: false,
        code: failure.code === 'CRL_TOO_OLD' ? 'CRL_TOO_OLD' : 'CRL_MISSING',
        certificate: certificate!,
        message: revocationMessage(failure.code, failure.message, certificate!.issuer),
      };
  }
}

function certificateName(failure: PathFailure, path: ParsedCertificate[]): string {
  const certificate = failure.index !== undefined ? path[failure.index] : undefined;
  return certificate ? commonName(certificate.pkijs) : (failure.certificate?.subject ?? '');
}
