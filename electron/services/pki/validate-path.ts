import {
  checkCaCertificate,
  checkCriticalExtensions,
  checkSignature,
  checkValidity,
  describe,
  failure,
  nextPathLength,
} from './basic-checks';
import { namesEqual } from './distinguished-name';
import { NameConstraints } from './name-constraints';
import { OID } from './oids';
import { buildPaths } from './path-building';
import { PolicyProcessor } from './policy-processing';
import { certificateStatus, type RevocationContext } from './revocation/certificate-status';
import { workingKey } from './signature';
import type { PathFailure, PathSuccess, PathValidationInput, PathValidationResult, PathWarning } from './types';
import { formatName, summarize, type ParsedCertificate } from './x509';

/**
 * RFC 5280 section 6: certification path validation, with revocation per 6.3. Paths are built from
 * the certificates given (path-building.ts); each candidate runs the 6.1 loop (basic checks, name
 * constraints, policy processing), then revocation of every certificate below the anchor. The first
 * valid candidate is the answer; when none is, the failure of the best candidate is (docs/identity.md).
 */

/** A CRL signer's own path is validated too (6.3.3 (f)); its signer's, and so on, this deep at most. */
const MAX_SIGNER_DEPTH = 3;

interface Recursion {
  depth: number;
  /** Certificates whose validation is under way (DER hex): a signer path that needs one of them is refused. */
  inProgress: Set<string>;
}

export function validateCertificatePath(input: PathValidationInput): Promise<PathValidationResult> {
  return validate(input, { depth: 0, inProgress: new Set() });
}

async function validate(input: PathValidationInput, recursion: Recursion): Promise<PathValidationResult> {
  const key = input.target.der.toString('hex');
  const inProgress = new Set(recursion.inProgress).add(key);
  const built = buildPaths(input.target, input.intermediates, input.anchors);
  if (built.paths.length === 0) {
    if (built.badSignature) {
      const { child, issuer } = built.badSignature;
      const index = child === input.target ? 0 : 1;
      return (
        checkSignature(
          child,
          index,
          workingKey(issuer.pkijs.subjectPublicKeyInfo, null),
          formatName(issuer.pkijs.subject),
        ) ?? failure('BAD_SIGNATURE', `${describe(child, index)} does not verify with its issuer's key.`, child, index)
      );
    }
    return failure(
      'NO_PATH',
      `${describe(input.target, 0)} was issued by "${formatName(input.target.pkijs.issuer)}", which does not chain to a trust anchor: no certificate path from it to an anchor could be built from the certificates given.`,
      input.target,
      0,
    );
  }

  let best: PathFailure | null = null;
  for (const path of built.paths) {
    const outcome = await validateOnePath(path, input, { depth: recursion.depth, inProgress });
    if (outcome.ok) return outcome;
    // A candidate whose signatures all verify says more about the target than one that is not even linked.
    const linked = (f: PathFailure) => f.code !== 'BAD_SIGNATURE' && f.code !== 'UNSUPPORTED_ALGORITHM';
    if (!best || (!linked(best) && linked(outcome))) best = outcome;
  }
  return best!;
}

const isSelfIssued = (c: ParsedCertificate) => namesEqual(c.pkijs.subject, c.pkijs.issuer);

/** The 6.1 loop over one candidate path (target first, anchor last), then revocation. */
async function validateOnePath(
  path: ParsedCertificate[],
  input: PathValidationInput,
  recursion: Recursion,
): Promise<PathValidationResult> {
  const outcome = await runSection6(path, input, recursion);
  return outcome.ok ? outcome : { ...outcome, path };
}

async function runSection6(
  path: ParsedCertificate[],
  input: PathValidationInput,
  recursion: Recursion,
): Promise<PathValidationResult> {
  const anchor = path[path.length - 1]!;
  const n = path.length - 1;
  // RFC numbering: certificate i (1..n) is path[n - i]; the target is certificate n.
  const indexOf = (i: number) => n - i;

  let key = workingKey(anchor.pkijs.subjectPublicKeyInfo, null);
  const keys: Buffer[] = new Array<Buffer>(path.length);
  keys[n] = key;
  let issuerName = formatName(anchor.pkijs.subject);
  let maxPathLength = n;
  const names = new NameConstraints();
  const policy = new PolicyProcessor(n, {
    initialExplicitPolicy: input.initialExplicitPolicy ?? false,
    initialPolicyMappingInhibit: input.initialPolicyMappingInhibit ?? false,
    initialAnyPolicyInhibit: input.initialAnyPolicyInhibit ?? false,
  });

  for (let i = 1; i <= n; i++) {
    const index = indexOf(i);
    const certificate = path[index]!;
    const selfIssued = isSelfIssued(certificate);
    const basic =
      checkSignature(certificate, index, key, issuerName) ??
      checkValidity(certificate, index, input.at) ??
      checkCriticalExtensions(certificate, index);
    if (basic) return basic;

    if (!(selfIssued && i < n)) {
      const violation = names.violation(certificate.pkijs);
      if (violation)
        return failure(
          'NAME_CONSTRAINTS',
          `${describe(certificate, index)} has a name (${violation.name}) ${violation.reason === 'excluded' ? 'that a CA above it has excluded' : 'outside the names a CA above it may certify'} (name constraints).`,
          certificate,
          index,
        );
    }
    const policyFailure = policy.processCertificate(certificate.pkijs, i, selfIssued);
    if (policyFailure) return failure('POLICY', policyFailure.message, certificate, index);

    key = workingKey(certificate.pkijs.subjectPublicKeyInfo, key);
    keys[index] = key;
    if (i === n) break;

    const prepare = policy.prepareNext(certificate.pkijs, i, selfIssued);
    if (prepare) return failure('POLICY', prepare.message, certificate, index);
    issuerName = formatName(certificate.pkijs.subject);
    names.add(certificate.pkijs);
    const ca = checkCaCertificate(certificate, index);
    if (ca) return ca;
    const length = nextPathLength(certificate, index, maxPathLength, selfIssued);
    if ('ok' in length) return length;
    maxPathLength = length.maxPathLength;
  }

  const finished = policy.finish(path[0]!.pkijs, input.initialPolicySet ?? [OID.anyPolicy]);
  if (!finished.ok) return failure('POLICY', finished.message, path[0], 0);

  const revocation = await checkPathRevocation(path, keys, input, recursion);
  if (!Array.isArray(revocation)) return revocation;

  const success: PathSuccess = {
    ok: true,
    path,
    policyTree: finished.policyTree,
    authoritiesConstrainedPolicies: finished.authoritiesConstrainedPolicies,
    userConstrainedPolicies: finished.userConstrainedPolicies,
    targetAssertedPolicies: finished.targetAssertedPolicies,
    workingPublicKey: key,
    warnings: revocation,
  };
  return success;
}

/**
 * 6.3 for every certificate below the anchor. A revocation anywhere in the path is the answer even
 * when another certificate's status cannot be determined; otherwise the first undetermined status
 * refuses the path ('require') or becomes a warning ('warn').
 */
async function checkPathRevocation(
  path: ParsedCertificate[],
  keys: Buffer[],
  input: PathValidationInput,
  recursion: Recursion,
): Promise<PathWarning[] | PathFailure> {
  const policy = input.revocation ?? 'require';
  if (policy === 'off') return [];
  const anchor = path[path.length - 1]!;
  const inPath = (c: ParsedCertificate) => path.some((p) => p.der.equals(c.der));
  const context: RevocationContext = {
    at: input.at,
    crls: input.crls,
    maxCrlAgeDays: input.maxCrlAgeDays ?? null,
    path,
    pathKey: (j) => keys[j]!,
    pool: [...input.intermediates, ...input.anchors].filter((c) => !inPath(c)),
    validateSigner: async (candidate) => {
      if (recursion.depth + 1 > MAX_SIGNER_DEPTH)
        return { ok: false, message: 'its CRL signer’s own certificate path is nested too deep to check' };
      if (recursion.inProgress.has(candidate.der.toString('hex')))
        return { ok: false, message: 'its CRL signer’s certificate path depends on the certificate being checked' };
      const result = await validate(
        {
          ...input,
          target: candidate,
          anchors: [anchor],
          // A CRL signer is trusted for its key, not for a policy: no policy inputs of the caller's apply.
          initialPolicySet: [OID.anyPolicy],
          initialExplicitPolicy: false,
          initialPolicyMappingInhibit: false,
          initialAnyPolicyInhibit: false,
        },
        { depth: recursion.depth + 1, inProgress: recursion.inProgress },
      );
      if (result.ok) return { ok: true, workingKey: result.workingPublicKey };
      return { ok: false, message: `its CRL signer’s certificate is not valid (${result.code}: ${result.message})` };
    },
  };

  const statuses = [];
  for (let index = 0; index < path.length - 1; index++)
    statuses.push({ index, status: await certificateStatus(index, context) });

  for (const { index, status } of statuses) {
    if (status.status !== 'revoked') continue;
    const certificate = path[index]!;
    return {
      ...failure(
        'REVOKED',
        `${describe(certificate, index)} was revoked on ${status.revokedAt.toISOString().slice(0, 10)}${status.reason ? ` (${status.reason})` : ''}.`,
        certificate,
        index,
      ),
      revokedAt: status.revokedAt,
      revocationReason: status.reason,
    };
  }
  const warnings: PathWarning[] = [];
  for (const { index, status } of statuses) {
    if (status.status !== 'undetermined') continue;
    const certificate = path[index]!;
    if (policy === 'require') return failure(status.code, status.message, certificate, index);
    warnings.push({ code: status.code, message: status.message, certificate: summarize(certificate) });
  }
  return warnings;
}
