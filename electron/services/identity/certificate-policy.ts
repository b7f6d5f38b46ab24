import { CARD_AUTHENTICATION_POLICIES, OID, PIV_CARD_AUTH_EKU } from './oids';

/**
 * The policy decision, given the policies the path is valid for (RFC 5280 6.1, computed by pkijs's
 * chain engine) and the card certificate's own policies and EKUs. Pure, so its cases are unit-tested.
 */
export type PolicyDecision =
  | { ok: true; policies: string[] }
  | { ok: false; reason: 'card-authentication' | 'not-accepted'; policies: string[]; message: string };

export interface PolicyFacts {
  /** The authorities-constrained policy set of the whole path (anyPolicy included if it survived). */
  validPolicies: string[];
  /** The card certificate's own certificatePolicies (empty when absent). */
  leafPolicies: string[];
  /** The card certificate's extendedKeyUsage, or null when absent. */
  leafEkus: string[] | null;
  accepted: readonly string[];
}

const CARD_AUTH = CARD_AUTHENTICATION_POLICIES as readonly string[];

const cardAuthMessage =
  'This is a Card Authentication certificate (PIV slot 9E), which works without the PIN and can never be used to sign in. The card must present its PIV Authentication certificate.';

export function decidePolicy(facts: PolicyFacts): PolicyDecision {
  // id-PIV-cardAuth marks a 9E certificate whatever its policies say (FIPS 201 appendix B).
  if (facts.leafEkus?.includes(PIV_CARD_AUTH_EKU))
    return { ok: false, reason: 'card-authentication', policies: facts.leafPolicies, message: cardAuthMessage };
  // anyPolicy in the card's own certificate names no assurance level, so it never stands in for an accepted policy.
  const matched = facts.validPolicies.filter(
    (p) => p !== OID.anyPolicy && facts.accepted.includes(p) && facts.leafPolicies.includes(p),
  );
  if (matched.length > 0) return { ok: true, policies: matched };
  if (facts.leafPolicies.some((p) => CARD_AUTH.includes(p)))
    return { ok: false, reason: 'card-authentication', policies: facts.leafPolicies, message: cardAuthMessage };
  const asserted = facts.leafPolicies.length > 0 ? facts.leafPolicies.join(', ') : 'none';
  const why = facts.leafPolicies.some((p) => facts.accepted.includes(p))
    ? 'its issuing CAs do not allow that policy'
    : `it asserts ${asserted}`;
  return {
    ok: false,
    reason: 'not-accepted',
    policies: facts.leafPolicies,
    message: `The card's certificate is not valid for any certificate policy this site accepts for sign-in (${why}). An administrator can review the accepted policies in the site configuration.`,
  };
}
