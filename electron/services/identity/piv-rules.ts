import type { PathSuccess } from '../pki/types';
import { extendedKeyUsage, policies, summarize, type ParsedCertificate } from '../pki/x509';
import { decidePolicy } from './certificate-policy';
import { checkLeafUsage } from './constraints';
import { cardIdentity, hasIdentifier } from './identity-mapping';
import type { ValidationFailure } from './results';

/**
 * The PIV rules on top of a valid RFC 5280 path (FIPS 201, docs/identity.md): the card holder is
 * identified (EDIPI, UPN or card UUID), the certificate is valid for an accepted PIV Authentication
 * policy that it asserts itself (mapped into the anchor's domain; anyPolicy never counts), it is not a
 * Card Authentication certificate, and its key usage and EKU allow signing in.
 */
export function checkPivRules(
  target: ParsedCertificate,
  success: PathSuccess,
  acceptedPolicies: readonly string[],
): ValidationFailure | null {
  if (!hasIdentifier(cardIdentity(target.pkijs)))
    return {
      ok: false,
      code: 'MALFORMED',
      certificate: summarize(target),
      message: 'The card’s certificate carries no EDIPI, UPN or card UUID, so its holder cannot be identified.',
    };
  const decision = pivPolicyDecision(target, success, acceptedPolicies);
  if (!decision.ok)
    return {
      ok: false,
      code: 'WRONG_POLICY',
      reason: decision.reason,
      policies: decision.policies,
      message: decision.message,
      certificate: summarize(target),
    };
  return checkLeafUsage(target);
}

/** The accepted policies the path is valid for, or why there are none. */
export function pivPolicyDecision(target: ParsedCertificate, success: PathSuccess, accepted: readonly string[]) {
  const asserted = policies(target.pkijs) ?? [];
  return decidePolicy({
    validPolicies: success.targetAssertedPolicies,
    // Policies the card asserted, and the anchor-domain policies they map to through the path.
    leafPolicies: [...new Set([...asserted, ...success.targetAssertedPolicies])],
    leafEkus: extendedKeyUsage(target.pkijs),
    accepted,
  });
}
