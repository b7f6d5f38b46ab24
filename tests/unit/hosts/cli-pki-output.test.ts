import { describe, expect, it } from 'vitest';
import { formatJson, formatText, outcomeOf, usageOutcome } from '../../../hosts/cli/pki-output';
import type { PathFailure, PathSuccess } from '../../../electron/services/pki/types';
import { summarize } from '../../../electron/services/pki/x509';
import { pkitsCertificate } from '../../support/pkits';

/**
 * What `enclave pki validate` prints for each kind of result (the validator's results are built here
 * from real PKITS certificates; the end-to-end runs are in tests/integration/cli-pki.test.ts).
 */
const leaf = pkitsCertificate('ValidCertificatePathTest1EE.crt');
const ca = pkitsCertificate('GoodCACert.crt');
const anchor = pkitsCertificate('TrustAnchorRootCertificate.crt');
const POLICY = '2.16.840.1.101.3.2.1.48.1';

const success: PathSuccess = {
  ok: true,
  path: [leaf, ca, anchor],
  policyTree: null,
  authoritiesConstrainedPolicies: [POLICY],
  userConstrainedPolicies: [POLICY],
  targetAssertedPolicies: [POLICY],
  workingPublicKey: Buffer.alloc(0),
  warnings: [{ code: 'CRL_MISSING', message: 'No CRL from "CN=Good CA" covers it.', certificate: summarize(leaf) }],
};

describe('enclave pki validate: output', () => {
  it('prints VALID, the path target first, the two policy sets and the warnings', () => {
    const lines = formatText(outcomeOf(success, null)).split('\n');
    expect(lines[0]).toBe('VALID');
    expect(lines[1]).toBe(
      `  0 target: subject "${summarize(leaf).subject}", issuer "${summarize(ca).subject}", serial 01, notAfter ${leaf.pkijs.notAfter.value.toISOString()}, sha256 ${summarize(leaf).sha256}`,
    );
    expect(lines[2]).toMatch(/^ {2}1 CA: subject "CN=Good CA, O=Test Certificates 2011, C=US"/);
    expect(lines[3]).toMatch(/^ {2}2 anchor: subject "CN=Trust Anchor, O=Test Certificates 2011, C=US"/);
    expect(lines.slice(4)).toEqual([
      `Authorities-constrained policies: ${POLICY}`,
      `User-constrained policies: ${POLICY}`,
      'WARNING CRL_MISSING: No CRL from "CN=Good CA" covers it.',
    ]);
    const anyPolicy = {
      ...success,
      warnings: [],
      userConstrainedPolicies: ['2.5.29.32.0'],
      authoritiesConstrainedPolicies: [],
    };
    expect(formatText(outcomeOf(anyPolicy, null))).toMatch(
      /Authorities-constrained policies: none\nUser-constrained policies: 2\.5\.29\.32\.0 \(anyPolicy\)$/,
    );
  });

  it('prints INVALID, CODE: message and the certificate concerned', () => {
    const failure: PathFailure = {
      ok: false,
      code: 'REVOKED',
      message: 'The certificate "CN=x" was revoked on 2010-01-01 (keyCompromise).',
      certificate: summarize(leaf),
      index: 0,
      path: [leaf, ca, anchor],
    };
    const lines = formatText(outcomeOf(failure, null)).split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'INVALID',
      'REVOKED: The certificate "CN=x" was revoked on 2010-01-01 (keyCompromise).',
      `Certificate 0: subject "${summarize(leaf).subject}", issuer "${summarize(ca).subject}", serial 01, notAfter ${leaf.pkijs.notAfter.value.toISOString()}, sha256 ${summarize(leaf).sha256}`,
    ]);
    expect(lines[3]).toBe('Candidate path (target first):');
    expect(lines).toHaveLength(7);
    // No path built: the reason alone.
    expect(formatText(outcomeOf({ ok: false, code: 'NO_PATH', message: 'No path.' }, null))).toBe(
      'INVALID\nNO_PATH: No path.',
    );
  });

  it('a PIV rule that fails makes a valid path INVALID with a PIV_ code', () => {
    const outcome = outcomeOf(success, {
      ok: false,
      code: 'WRONG_POLICY',
      reason: 'not-accepted',
      policies: [POLICY],
      message: 'The certificate is not valid for an accepted PIV Authentication policy.',
    });
    expect(outcome).toMatchObject({ valid: false, failure: { code: 'PIV_POLICY', index: 0 } });
    expect(outcome.failure?.certificate?.sha256).toBe(summarize(leaf).sha256);
    const text = formatText(outcome);
    expect(text).toMatch(
      /^INVALID\nPIV_POLICY: The certificate is not valid for an accepted PIV Authentication policy\./,
    );
    expect(text).toContain(`User-constrained policies: ${POLICY}`);
  });

  it('--json prints one object: valid, path, policies, warnings, failure', () => {
    const valid = JSON.parse(formatJson(outcomeOf(success, null))) as Record<string, unknown>;
    expect(Object.keys(valid).sort()).toEqual(['failure', 'path', 'policies', 'valid', 'warnings']);
    expect(valid).toMatchObject({
      valid: true,
      failure: null,
      policies: { authoritiesConstrained: [POLICY], userConstrained: [POLICY] },
      warnings: [{ code: 'CRL_MISSING', certificate: { serialNumber: '01' } }],
      path: [
        { subject: summarize(leaf).subject, serialNumber: '01', notAfter: leaf.pkijs.notAfter.value.toISOString() },
        { subject: 'CN=Good CA, O=Test Certificates 2011, C=US' },
        { subject: 'CN=Trust Anchor, O=Test Certificates 2011, C=US' },
      ],
    });
    expect(JSON.parse(formatJson(usageOutcome('--at takes …')))).toEqual({
      valid: false,
      path: [],
      policies: { authoritiesConstrained: [], userConstrained: [] },
      warnings: [],
      failure: { code: 'USAGE', message: '--at takes …' },
    });
  });
});
