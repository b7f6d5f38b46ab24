import type { ValidationFailure } from '../../electron/services/identity/results';
import { OID } from '../../electron/services/pki/oids';
import type { PathValidationResult } from '../../electron/services/pki/types';
import { summarize, type CertificateSummary } from '../../electron/services/pki/x509';
import { terminalSafe } from './terminal-safe';

/**
 * What `enclave pki validate` prints: the same outcome as text or as one JSON object (docs/cli.md).
 * A failure's code is a PathFailureCode, or, with --piv, one of the PIV_* codes below.
 */

/** The PIV rules' refusals (card login's codes), named so they cannot be mistaken for RFC 5280 ones. */
const PIV_CODES: Record<string, string> = {
  MALFORMED: 'PIV_IDENTIFIER',
  WRONG_POLICY: 'PIV_POLICY',
  BAD_KEY_USAGE: 'PIV_KEY_USAGE',
};

export interface PkiOutcome {
  valid: boolean;
  /** Target first, trust anchor last: the valid path, or the candidate the failure was found on. */
  path: CertificateSummary[];
  policies: { authoritiesConstrained: string[]; userConstrained: string[] };
  warnings: { code: string; message: string; certificate: CertificateSummary }[];
  failure: { code: string; message: string; certificate?: CertificateSummary; index?: number } | null;
}

export function outcomeOf(result: PathValidationResult, piv: ValidationFailure | null): PkiOutcome {
  if (!result.ok)
    return {
      valid: false,
      path: (result.path ?? []).map(summarize),
      policies: { authoritiesConstrained: [], userConstrained: [] },
      warnings: [],
      failure: {
        code: result.code,
        message: result.message,
        ...(result.certificate ? { certificate: result.certificate } : {}),
        ...(result.index !== undefined ? { index: result.index } : {}),
      },
    };
  const path = result.path.map(summarize);
  return {
    valid: piv === null,
    path,
    policies: {
      authoritiesConstrained: result.authoritiesConstrainedPolicies,
      userConstrained: result.userConstrainedPolicies,
    },
    warnings: result.warnings.map((w) => ({ code: w.code, message: w.message, certificate: w.certificate })),
    failure: piv
      ? {
          code: PIV_CODES[piv.code] ?? `PIV_${piv.code}`,
          message: piv.message,
          certificate: piv.certificate ?? path[0],
          index: 0,
        }
      : null,
  };
}

/** A bad argument (exit 2) in the same shape, for --json. */
export function usageOutcome(message: string): PkiOutcome {
  return {
    valid: false,
    path: [],
    policies: { authoritiesConstrained: [], userConstrained: [] },
    warnings: [],
    failure: { code: 'USAGE', message },
  };
}

const policyList = (oids: string[]) =>
  oids.length ? oids.map((oid) => (oid === OID.anyPolicy ? `${oid} (anyPolicy)` : oid)).join(', ') : 'none';

// Names and messages come from the files: a newline in a subject must not forge a line of the output.
const safe = terminalSafe;

function certificateLine(c: CertificateSummary): string {
  return `subject "${safe(c.subject)}", issuer "${safe(c.issuer)}", serial ${c.serialNumber || '0'}, notAfter ${c.notAfter.toISOString()}, sha256 ${c.sha256}`;
}

function role(index: number, length: number): string {
  return index === 0 ? 'target' : index === length - 1 ? 'anchor' : 'CA';
}

/** The text form: VALID or INVALID first, so a script can read the first line. */
export function formatText(outcome: PkiOutcome): string {
  const lines: string[] = [outcome.valid ? 'VALID' : 'INVALID'];
  if (outcome.failure) {
    const f = outcome.failure;
    lines.push(`${f.code}: ${safe(f.message)}`);
    if (f.certificate)
      lines.push(`Certificate${f.index !== undefined ? ` ${f.index}` : ''}: ${certificateLine(f.certificate)}`);
  }
  if (outcome.valid || outcome.path.length) {
    if (!outcome.valid) lines.push('Candidate path (target first):');
    outcome.path.forEach((c, i) => lines.push(`  ${i} ${role(i, outcome.path.length)}: ${certificateLine(c)}`));
  }
  if (outcome.valid || (outcome.failure?.code.startsWith('PIV_') ?? false)) {
    lines.push(`Authorities-constrained policies: ${policyList(outcome.policies.authoritiesConstrained)}`);
    lines.push(`User-constrained policies: ${policyList(outcome.policies.userConstrained)}`);
  }
  for (const w of outcome.warnings) lines.push(`WARNING ${w.code}: ${safe(w.message)}`);
  return lines.join('\n');
}

export function formatJson(outcome: PkiOutcome): string {
  return JSON.stringify(outcome);
}
