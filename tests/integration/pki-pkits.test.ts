import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../hosts/cli/cli';
import { validateCertificatePath } from '../../electron/services/pki';
import type { PathFailureCode, PathValidationResult } from '../../electron/services/pki/types';
import {
  PKITS_ANCHOR,
  PKITS_ANCHOR_CRL,
  PKITS_DIR,
  PKITS_TIME,
  pkitsCases,
  pkitsCertificate,
  pkitsCrl,
  pkitsNumber,
  type PkitsCase,
} from '../support/pkits';
import { repoRoot } from '../support/services';

/**
 * NIST PKITS 1.0.1 section 4 (tests/data/pkits) through the RFC 5280 validator, one named test per
 * case: valid ones must be valid with the case's path length; invalid ones refused with the reason
 * code tests/data/pkits/expected-reasons.json names (a revoked certificate as REVOKED, not as a
 * missing CRL). A case the validator is known to get wrong is listed there under knownGaps and asserted
 * as that wrong outcome, so a fix shows up; a wrong accept is never a known gap. Then the same cases
 * through `enclave pki validate`, in process and a few through the built CLI.
 */

type Outcome = 'valid' | PathFailureCode;
interface ExpectedReasons {
  reasons: Record<string, { code: PathFailureCode; why: string }>;
  knownGaps: Record<string, { outcome: Outcome; why: string }>;
}

const cases = pkitsCases();
const expected = JSON.parse(readFileSync(join(PKITS_DIR, 'expected-reasons.json'), 'utf8')) as ExpectedReasons;
const keyOf = (c: PkitsCase) => `${c.id} ${c.name}`;
const titleOf = (c: PkitsCase) => `${pkitsNumber(c.id)} ${c.name}`;
/** The invalid case's entry in expected-reasons.json (the first describe checks every one has one). */
function reasonOf(c: PkitsCase): { code: PathFailureCode; why: string } {
  const reason = expected.reasons[keyOf(c)];
  if (!reason) throw new Error(`expected-reasons.json has no reason for ${keyOf(c)}`);
  return reason;
}
const wanted = (c: PkitsCase): Outcome => (c.expect === 'valid' ? 'valid' : reasonOf(c).code);
/** What the test asserts: the right outcome, or the known wrong one while it is a gap. */
const asserted = (c: PkitsCase): Outcome => expected.knownGaps[keyOf(c)]?.outcome ?? wanted(c);

// Each case is validated once; the per-case tests and the summary share the answer.
const results = new Map<string, Promise<PathValidationResult>>();
function validate(c: PkitsCase): Promise<PathValidationResult> {
  let result = results.get(keyOf(c));
  if (!result) {
    result = validateCertificatePath({
      target: pkitsCertificate(c.leaf),
      intermediates: c.intermediates.map(pkitsCertificate),
      anchors: [pkitsCertificate(PKITS_ANCHOR)],
      crls: [...c.crls, PKITS_ANCHOR_CRL].map(pkitsCrl),
      at: PKITS_TIME,
      initialPolicySet: c.initialPolicySet,
      initialExplicitPolicy: c.initialExplicitPolicy,
      initialPolicyMappingInhibit: c.initialPolicyMappingInhibit,
      initialAnyPolicyInhibit: c.initialAnyPolicyInhibit,
      revocation: 'require',
      maxCrlAgeDays: null,
    });
    results.set(keyOf(c), result);
  }
  return result;
}
const outcomeOf = (r: PathValidationResult): Outcome => (r.ok ? 'valid' : r.code);
const describeResult = (r: PathValidationResult) => (r.ok ? 'valid' : `${r.code}: ${r.message}`);

describe('expected-reasons.json', () => {
  it('names a reason for every invalid case and for nothing else', () => {
    const invalid = cases.filter((c) => c.expect === 'invalid').map(keyOf);
    expect(Object.keys(expected.reasons).sort()).toEqual([...invalid].sort());
    expect(new Set(cases.map(keyOf)).size).toBe(cases.length);
  });

  it('lists no wrong accept as a known gap, and only cases that exist', () => {
    for (const [key, gap] of Object.entries(expected.knownGaps)) {
      const c = cases.find((x) => keyOf(x) === key);
      expect(c, `known gap ${key} is not a PKITS case`).toBeDefined();
      if (c!.expect === 'invalid')
        expect(gap.outcome, `${key}: a wrong accept cannot be a known gap`).not.toBe('valid');
      expect(gap.outcome, `${key}: a known gap must differ from the right outcome`).not.toBe(wanted(c!));
    }
  });
});

describe('NIST PKITS 1.0.1 section 4 through validateCertificatePath', () => {
  for (const c of cases) {
    it(titleOf(c), async () => {
      const result = await validate(c);
      const gap = expected.knownGaps[keyOf(c)];
      const why = gap ? `known gap: ${gap.why}` : c.expect === 'invalid' ? reasonOf(c).why : 'valid';
      expect(outcomeOf(result), `${describeResult(result)} (expected because: ${why})`).toBe(asserted(c));
      // pathLength counts the anchor; the validator's path is target first, anchor last.
      if (result.ok) expect(result.path.length, 'path length, anchor included').toBe(c.pathLength);
    });
  }

  it('summary: no wrong accepts and at least 240 of the 246 cases right', async () => {
    let right = 0;
    const wrongAccepts: string[] = [];
    const notRight: string[] = [];
    for (const c of cases) {
      const outcome = outcomeOf(await validate(c));
      if (outcome === wanted(c)) right++;
      else notRight.push(`${titleOf(c)}: ${outcome}, should be ${wanted(c)}`);
      if (c.expect === 'invalid' && outcome === 'valid') wrongAccepts.push(titleOf(c));
    }
    expect(cases).toHaveLength(246);
    expect(wrongAccepts).toEqual([]);
    expect(right, notRight.join('\n')).toBeGreaterThanOrEqual(240);
  });
});

/** `enclave pki validate` arguments for a case (the same inputs as above). */
function cliArguments(c: PkitsCase): string[] {
  const cert = (name: string) => join(PKITS_DIR, 'certs', name);
  const crl = (name: string) => join(PKITS_DIR, 'crls', name);
  return [
    'pki',
    'validate',
    '--cert',
    cert(c.leaf),
    ...c.intermediates.flatMap((name) => ['--intermediate', cert(name)]),
    '--anchor',
    cert(PKITS_ANCHOR),
    ...[...c.crls, PKITS_ANCHOR_CRL].flatMap((name) => ['--crl', crl(name)]),
    '--at',
    PKITS_TIME.toISOString(),
    ...c.initialPolicySet.flatMap((oid) => ['--initial-policy', oid]),
    ...(c.initialExplicitPolicy ? ['--explicit-policy'] : []),
    ...(c.initialPolicyMappingInhibit ? ['--inhibit-policy-mapping'] : []),
    ...(c.initialAnyPolicyInhibit ? ['--inhibit-any-policy'] : []),
  ];
}

/** The outcome a user reads: exit 0 and VALID, or exit 1, INVALID and `CODE: message` on the next line. */
function printedOutcome(code: number | null, stdout: string): Outcome | string {
  const [first = '', second = ''] = stdout.split('\n');
  if (code === 0 && first === 'VALID') return 'valid';
  if (code === 1 && first === 'INVALID') return second.slice(0, second.indexOf(':'));
  return `exit ${code}, printed ${JSON.stringify(stdout.slice(0, 200))}`;
}

describe('NIST PKITS 1.0.1 section 4 through enclave pki validate (in process)', () => {
  let printed = '';
  const exitCodeBefore = process.exitCode;
  afterEach(() => {
    vi.restoreAllMocks();
    // runCli sets process.exitCode for its command; the test run's own exit code must not inherit it.
    process.exitCode = exitCodeBefore;
  });

  async function enclaveInProcess(args: string[]) {
    printed = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed += chunk.toString();
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    process.exitCode = undefined;
    const code = await runCli(args);
    return { code, stdout: printed };
  }

  it('prints every case’s outcome and code with its exit code, as the validator decides', async () => {
    const differences: string[] = [];
    for (const c of cases) {
      const { code, stdout } = await enclaveInProcess(cliArguments(c));
      const outcome = printedOutcome(code, stdout);
      if (outcome !== asserted(c)) differences.push(`${titleOf(c)}: ${outcome}, should be ${asserted(c)}`);
    }
    expect(differences).toEqual([]);
  });
});

describe('NIST PKITS 1.0.1 through the built CLI (dist/node/cli.cjs)', () => {
  const cli = join(repoRoot, 'dist', 'node', 'cli.cjs');
  beforeAll(() => {
    if (!existsSync(cli)) spawnSync(process.execPath, ['scripts/build-node.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  }, 300_000);

  // One of each kind: valid, a policy refusal with user inputs, a revoked certificate, a missing CRL, a name constraint.
  const sample = [
    '40101 valid_signatures_test1',
    '41203 inhibit_any_policy_test3_initial_inhibit',
    '41504 invalid_deltacrl_test4',
    '41403 invalid_distributionpoint_test3',
    '41303 invalid_dn_nameconstraints_test3',
  ].map((key) => cases.find((c) => keyOf(c) === key)!);

  for (const c of sample) {
    it(`${titleOf(c)}: exit code and printed code`, () => {
      const run = spawnSync(process.execPath, [cli, ...cliArguments(c)], { encoding: 'utf8', timeout: 60_000 });
      expect(printedOutcome(run.status, run.stdout), run.stderr).toBe(asserted(c));
    });
  }
});
