import * as pkijs from 'pkijs';
import type { IdentitySettings } from '../../../common/site/site-config';
import { checkCaConstraints, checkCriticalExtensions, checkDates, checkLeafUsage } from './constraints';
import { cardIdentity, hasIdentifier } from './identity-mapping';
import { buildPath } from './path';
import { decidePolicy } from './certificate-policy';
import type { ValidationFailure, ValidationResult } from './results';
import { checkRevocation } from './revocation-check';
import { parseCrlDer } from './trust-material';
import {
  cryptoEngine,
  extendedKeyUsage,
  MalformedInputError,
  parseCertificateDer,
  policies,
  summarize,
  type ParsedCertificate,
} from '../pki/x509';

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
 * Authenticates a card's PIV Authentication certificate, in this order (docs/identity.md): parse and
 * identify, build the path, dates, critical extensions, CA constraints, the chain engine and policies,
 * key usage, revocation. The first failure is the answer; revocation gaps may be warnings by site choice.
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
  const crls = input.crls.flatMap((der) => {
    try {
      return [parseCrlDer(der)];
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

  const built = await buildPath(leaf, intermediates, anchors);
  if (!built.ok) return { ok: false, code: built.code, message: built.message, certificate: summarize(leaf) };
  const path = built.path;

  const early = checkDates(path, at) ?? checkCriticalExtensions(path) ?? checkCaConstraints(path);
  if (early) return early;

  const validPolicies = await pathPolicies(path, at);
  if (!Array.isArray(validPolicies)) return validPolicies;
  const decision = decidePolicy({
    validPolicies,
    leafPolicies: policies(leaf.pkijs) ?? [],
    leafEkus: extendedKeyUsage(leaf.pkijs),
    accepted: input.settings.authenticationPolicies,
  });
  if (!decision.ok)
    return {
      ok: false,
      code: 'WRONG_POLICY',
      reason: decision.reason,
      policies: decision.policies,
      message: decision.message,
      certificate: summarize(leaf),
    };

  const usage = checkLeafUsage(leaf);
  if (usage) return usage;

  const revocation = await checkRevocation(path, crls, at, input.settings);
  if (revocation.failure) return revocation.failure;

  return { ok: true, path: path.map(summarize), policies: decision.policies, identity, warnings: revocation.warnings };
}

/**
 * pkijs's CertificateChainValidationEngine on the path we built: a second, independent check of the
 * signatures, names, dates and CA flags, and the RFC 5280 policy processing (mappings, policy
 * constraints, inhibitAnyPolicy) and name constraints we do not reimplement. Revocation is ours.
 */
async function pathPolicies(path: ParsedCertificate[], at: Date): Promise<string[] | ValidationFailure> {
  const anchor = path[path.length - 1]!;
  if (path.length < 2) return [];
  // RFC 5280 6.1.3 (e): a certificate without certificatePolicies ends the policy tree; pkijs would read it as anyPolicy.
  if (path.slice(0, -1).some((c) => policies(c.pkijs) === null)) return [];
  const engine = new pkijs.CertificateChainValidationEngine({
    trustedCerts: [anchor.pkijs],
    certs: [
      ...path
        .slice(1, -1)
        .reverse()
        .map((c) => c.pkijs),
      path[0]!.pkijs,
    ],
    checkDate: at,
  });
  const result = await engine.verify({}, cryptoEngine);
  if (result.result) return result.authConstrPolicies ?? [];
  if (result.resultCode === 0 && Array.isArray(result.authConstrPolicies)) return []; // the path is valid for no policy
  const reason =
    result.resultCode === 41 || result.resultCode === 42
      ? 'a name in it is outside what its CA may certify (name constraints)'
      : 'the path validator refused it';
  return {
    ok: false,
    code: 'UNTRUSTED_ISSUER',
    certificate: summarize(path[0]!),
    message: `The card's certificate path to "${summarize(anchor).subject}" is not valid: ${reason}.`,
  };
}
