import type * as pkijs from 'pkijs';
import type { CertificateSummary, ParsedCertificate } from './x509';

/**
 * The contract of the RFC 5280 section 6 certification path validator (docs/identity.md, "Path
 * validation"). Card login, bundle signers and update keys all call `validateCertificatePath` with
 * their own inputs; PIV-specific rules sit on top of it, never inside.
 */

/** A CRL as the validator holds it: the DER, pkijs's structure, and the signed bytes. */
export interface ParsedCrl {
  der: Buffer;
  pkijs: pkijs.CertificateRevocationList;
}

/** What to do when a certificate's revocation status cannot be determined (no CRL in scope, a stale one, …). */
export type RevocationPolicy = 'require' | 'warn' | 'off';

/** The inputs of RFC 5280 6.1.1, and revocation per 6.3. */
export interface PathValidationInput {
  /** The certificate to validate (the target, certificate n). */
  target: ParsedCertificate;
  /** Certificates that may complete a path; untrusted by themselves. Any order. */
  intermediates: ParsedCertificate[];
  /** Trust anchors (6.1.1 (d)): each anchor's name and key are trusted; its own validity and extensions are not checked. */
  anchors: ParsedCertificate[];
  crls: ParsedCrl[];
  /** 6.1.1 (b): the time of validation. */
  at: Date;
  /** 6.1.1 (c): the user-initial-policy-set (OIDs); default [anyPolicy]. */
  initialPolicySet?: string[];
  /** 6.1.1 (g) initial-explicit-policy. */
  initialExplicitPolicy?: boolean;
  /** 6.1.1 (f) initial-policy-mapping-inhibit. */
  initialPolicyMappingInhibit?: boolean;
  /** 6.1.1 (h) initial-any-policy-inhibit. */
  initialAnyPolicyInhibit?: boolean;
  /** Revocation per 6.3 for every certificate below the anchor; default 'require'. */
  revocation?: RevocationPolicy;
  /** A CRL older than this (days past its thisUpdate) is stale even before its nextUpdate; null: only nextUpdate counts. */
  maxCrlAgeDays?: number | null;
}

/**
 * Why a path is not valid: the documented set of reason codes (docs/identity.md lists each with its
 * PKITS tests). `enclave pki validate` prints them; card login maps them to its own codes.
 */
export type PathFailureCode =
  /** A certificate or CRL could not be read. */
  | 'MALFORMED'
  /** No chain of names and keys from the target to a trust anchor. */
  | 'NO_PATH'
  /** A certificate's signature does not verify with its issuer's key. */
  | 'BAD_SIGNATURE'
  /** A signature or key algorithm this workstation cannot verify. */
  | 'UNSUPPORTED_ALGORITHM'
  | 'NOT_YET_VALID'
  | 'EXPIRED'
  /** An issuer in the path is not a CA (basicConstraints absent or cA false). */
  | 'NOT_A_CA'
  /** A CA's pathLenConstraint is exceeded. */
  | 'PATH_LENGTH'
  /** A CA's key usage does not allow certificate signing. */
  | 'KEY_USAGE'
  | 'UNKNOWN_CRITICAL_EXTENSION'
  /** Policy processing: no valid policy where one is required, or a mapping to or from anyPolicy. */
  | 'POLICY'
  | 'NAME_CONSTRAINTS'
  | 'REVOKED'
  /** No CRL in scope for a certificate (none from its issuer, or none covering it or all reasons). */
  | 'CRL_MISSING'
  /** A CRL in scope could not be used: bad signature, its signer not valid or not allowed to sign CRLs, an unknown critical extension. */
  | 'CRL_INVALID'
  /** The only CRLs in scope are past their nextUpdate or older than the site allows. */
  | 'CRL_TOO_OLD';

export interface PathFailure {
  ok: false;
  code: PathFailureCode;
  /** Plain words for an analyst or admin; no parser text. */
  message: string;
  /** The certificate the failure is about, when there is one. */
  certificate?: CertificateSummary;
  /** Its position: 0 is the target; the anchor is path.length - 1. */
  index?: number;
  /** For REVOKED: when and why. */
  revokedAt?: Date;
  revocationReason?: string | null;
  /** The candidate path the failure was found on (target first, anchor last), when one was built. */
  path?: ParsedCertificate[];
}

/** A revocation gap allowed by `revocation: 'warn'`. */
export interface PathWarning {
  code: 'CRL_MISSING' | 'CRL_INVALID' | 'CRL_TOO_OLD';
  message: string;
  certificate: CertificateSummary;
}

/** One node of the valid_policy_tree (6.1.2 (a)); depth 0 is the anchor's anyPolicy root. */
export interface PolicyNode {
  validPolicy: string;
  /** The policy qualifiers' OIDs (qualifier contents are not interpreted). */
  qualifiers: string[];
  expectedPolicySet: string[];
  depth: number;
  children: PolicyNode[];
}

export interface PathSuccess {
  ok: true;
  /** The target first, the anchor last. */
  path: ParsedCertificate[];
  /** 6.1.6: the valid_policy_tree, or null when it is empty. */
  policyTree: PolicyNode | null;
  /**
   * The policies, in the anchor's domain, that the path is valid for before the user's set is applied:
   * for each branch that reaches the target, the valid_policy of its topmost node that is not anyPolicy
   * (anyPolicy when the whole branch is anyPolicy).
   */
  authoritiesConstrainedPolicies: string[];
  /** The above intersected with initialPolicySet (anyPolicy on either side matches everything). */
  userConstrainedPolicies: string[];
  /**
   * The anchor-domain policies the target itself asserted (not by anyPolicy): what an application
   * that needs a named assurance level (PIV) should accept on.
   */
  targetAssertedPolicies: string[];
  /** 6.1.6: the working public key (SPKI DER, with inherited DSA parameters filled in). */
  workingPublicKey: Buffer;
  warnings: PathWarning[];
}

export type PathValidationResult = PathSuccess | PathFailure;
