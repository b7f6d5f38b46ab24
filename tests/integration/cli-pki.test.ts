import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/services';
import { PKITS_DIR } from '../support/pkits';
import {
  distinguishedName,
  generateKeyPair,
  issueCertificate,
  issueCrl,
  OID,
  toPem,
  type CertificateRequest,
  type Issued,
} from '../support/fixtures/piv/pki';

/**
 * `enclave pki validate` end to end: the built CLI (dist/node/cli.cjs) on NIST PKITS files
 * (tests/data/pkits) and on a PIV-shaped PKI built here, with no store and no data directory.
 */
const work = mkdtempSync(join(tmpdir(), 'enclave-cli-pki-'));
// The command needs no data directory: one that does not exist must stay that way.
const dataDir = join(work, 'no-data-dir');
afterAll(() => rmSync(work, { recursive: true, force: true }));

function enclave(args: string[]) {
  const result = spawnSync(process.execPath, [join(repoRoot, 'dist', 'node', 'cli.cjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ENCLAVE_DATA_DIR: dataDir },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const cert = (name: string) => join(PKITS_DIR, 'certs', name);
const crl = (name: string) => join(PKITS_DIR, 'crls', name);
const ANCHOR = ['--anchor', cert('TrustAnchorRootCertificate.crt'), '--crl', crl('TrustAnchorRootCRL.crl')];
const AT = ['--at', '2011-06-01'];
const TEST_POLICY_1 = '2.16.840.1.101.3.2.1.48.1';

/** A PKITS case's files: the target, its CA and the CA's CRL, with the anchor and its CRL. */
const pkits = (leaf: string, ca: string, caCrl: string) => [
  'pki',
  'validate',
  '--cert',
  cert(leaf),
  '--intermediate',
  cert(ca),
  '--crl',
  crl(caCrl),
  ...ANCHOR,
  ...AT,
];
const VALID_TEST_1 = pkits('ValidCertificatePathTest1EE.crt', 'GoodCACert.crt', 'GoodCACRL.crl');

interface JsonOutcome {
  valid: boolean;
  path: { subject: string; issuer: string; serialNumber: string; notAfter: string; sha256: string }[];
  policies: { authoritiesConstrained: string[]; userConstrained: string[] };
  warnings: { code: string; message: string }[];
  failure: { code: string; message: string; certificate?: { subject: string }; index?: number } | null;
}

describe('enclave pki validate on NIST PKITS', () => {
  it('4.1.1 valid_signatures_test1: exit 0, VALID, the path target first and its policies', () => {
    const { code, stdout, stderr } = enclave(VALID_TEST_1);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('VALID');
    expect(lines[1]).toMatch(
      /^ {2}0 target: subject "CN=Valid EE Certificate Test1, O=Test Certificates 2011, C=US", issuer "CN=Good CA, O=Test Certificates 2011, C=US", serial 01, notAfter 2030-12-31T08:30:00\.000Z, sha256 [0-9a-f]{64}$/,
    );
    expect(lines[2]).toMatch(/^ {2}1 CA: subject "CN=Good CA, O=Test Certificates 2011, C=US"/);
    expect(lines[3]).toMatch(/^ {2}2 anchor: subject "CN=Trust Anchor, O=Test Certificates 2011, C=US"/);
    expect(lines.slice(4)).toEqual([
      `Authorities-constrained policies: ${TEST_POLICY_1}`,
      `User-constrained policies: ${TEST_POLICY_1}`,
    ]);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('4.4.3 invalid_revoked_ee_test3: exit 1, REVOKED and the certificate concerned', () => {
    const { code, stdout } = enclave(pkits('InvalidRevokedEETest3EE.crt', 'GoodCACert.crt', 'GoodCACRL.crl'));
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('INVALID');
    expect(lines[1]).toMatch(/^REVOKED: .*Invalid Revoked EE Certificate Test3.*revoked/);
    expect(lines[2]).toMatch(/^Certificate 0: subject "CN=Invalid Revoked EE Certificate Test3, /);
  });

  it('4.13.2 invalid_dn_nameconstraints_test2: exit 1, NAME_CONSTRAINTS', () => {
    const { code, stdout } = enclave(
      pkits('InvalidDNnameConstraintsTest2EE.crt', 'nameConstraintsDN1CACert.crt', 'nameConstraintsDN1CACRL.crl'),
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/^INVALID\nNAME_CONSTRAINTS: .+\nCertificate 0: /);
  });

  it('4.4.1 missing_crl_test1: without the CA’s CRL, CRL_MISSING; with --revocation warn, VALID with a warning', () => {
    const args = [
      'pki',
      'validate',
      '--cert',
      cert('InvalidMissingCRLTest1EE.crt'),
      '--intermediate',
      cert('NoCRLCACert.crt'),
      ...ANCHOR,
      ...AT,
    ];
    const refused = enclave(args);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^INVALID\nCRL_MISSING: /);
    const warned = enclave([...args, '--revocation', 'warn']);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toMatch(/^VALID\n[\s\S]*\nWARNING CRL_MISSING: .+\n$/);
  });

  it('reads PEM files (several certificates or CRLs in one) and prints the same', () => {
    const pem = (name: string, der: Buffer[], label: 'CERTIFICATE' | 'X509 CRL') => {
      const path = join(work, name);
      writeFileSync(path, der.map((d) => toPem(d, label)).join(''));
      return path;
    };
    const leaf = pem('leaf.pem', [readFileSync(cert('ValidCertificatePathTest1EE.crt'))], 'CERTIFICATE');
    const anchor = pem('anchor.pem', [readFileSync(cert('TrustAnchorRootCertificate.crt'))], 'CERTIFICATE');
    // An unrelated CA beside the one needed: the path builder picks the right one.
    const cas = pem(
      'cas.pem',
      [readFileSync(cert('nameConstraintsDN1CACert.crt')), readFileSync(cert('GoodCACert.crt'))],
      'CERTIFICATE',
    );
    const crls = pem(
      'crls.pem',
      [readFileSync(crl('GoodCACRL.crl')), readFileSync(crl('TrustAnchorRootCRL.crl'))],
      'X509 CRL',
    );
    const result = enclave([
      'pki',
      'validate',
      '--cert',
      leaf,
      '--intermediate',
      cas,
      '--anchor',
      anchor,
      '--crl',
      crls,
      ...AT,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(enclave(VALID_TEST_1).stdout);
  });

  it('--json prints one object: valid, path, policies, warnings, failure', () => {
    const valid = enclave(['--json', ...VALID_TEST_1]);
    expect(valid.code).toBe(0);
    const outcome = JSON.parse(valid.stdout) as JsonOutcome;
    expect(Object.keys(outcome).sort()).toEqual(['failure', 'path', 'policies', 'valid', 'warnings']);
    expect(outcome).toMatchObject({
      valid: true,
      failure: null,
      warnings: [],
      policies: { authoritiesConstrained: [TEST_POLICY_1], userConstrained: [TEST_POLICY_1] },
    });
    expect(outcome.path.map((c) => c.subject)).toEqual([
      'CN=Valid EE Certificate Test1, O=Test Certificates 2011, C=US',
      'CN=Good CA, O=Test Certificates 2011, C=US',
      'CN=Trust Anchor, O=Test Certificates 2011, C=US',
    ]);
    expect(outcome.path[0]).toMatchObject({ serialNumber: '01', notAfter: '2030-12-31T08:30:00.000Z' });

    const revoked = enclave([...pkits('InvalidRevokedEETest3EE.crt', 'GoodCACert.crt', 'GoodCACRL.crl'), '--json']);
    expect(revoked.code).toBe(1);
    expect(JSON.parse(revoked.stdout)).toMatchObject({
      valid: false,
      failure: {
        code: 'REVOKED',
        index: 0,
        certificate: { subject: 'CN=Invalid Revoked EE Certificate Test3, O=Test Certificates 2011, C=US' },
      },
    });
  });

  it('--at before the certificates’ notBefore: NOT_YET_VALID', () => {
    const { code, stdout } = enclave([...VALID_TEST_1, '--at', '2009-06-01T00:00:00Z']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^INVALID\nNOT_YET_VALID: /);
  });

  it('--initial-policy and --explicit-policy reach the validator', () => {
    const TEST_POLICY_2 = '2.16.840.1.101.3.2.1.48.2';
    const other = enclave([...VALID_TEST_1, '--initial-policy', TEST_POLICY_2]);
    expect(other.code).toBe(0);
    expect(other.stdout).toMatch(
      new RegExp(
        `Authorities-constrained policies: ${TEST_POLICY_1.replace(/\./g, '\\.')}\nUser-constrained policies: none\n$`,
      ),
    );
    const explicit = enclave([...VALID_TEST_1, '--initial-policy', TEST_POLICY_2, '--explicit-policy']);
    expect(explicit.code).toBe(1);
    expect(explicit.stdout).toMatch(/^INVALID\nPOLICY: /);
  });

  it('exit 2 with one plain line on a bad argument or file, and nothing on stdout', () => {
    const cases: [string[], RegExp][] = [
      [['pki', 'validate', ...ANCHOR], /^enclave: --cert FILE is required/],
      [['pki', 'validate', '--cert', cert('ValidCertificatePathTest1EE.crt')], /^enclave: --anchor FILE is required/],
      [[...VALID_TEST_1, '--anchor', join(work, 'missing.crt')], /^enclave: --anchor .*missing\.crt: no such file\n$/],
      [
        [...VALID_TEST_1, '--crl', cert('GoodCACert.crt')],
        /^enclave: --crl .*GoodCACert\.crt: the file holds a certificate, not a CRL/,
      ],
      [
        [...VALID_TEST_1, '--intermediate', join(PKITS_DIR, 'README.md')],
        /^enclave: --intermediate .*README\.md: the file holds neither a certificate nor a CRL/,
      ],
      [[...VALID_TEST_1, '--initial-policy', 'test-policy-1'], /^enclave: --initial-policy takes an object identifier/],
      [[...VALID_TEST_1, '--at', 'yesterday'], /^enclave: --at takes an ISO 8601 time with its zone/],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = enclave(args);
      expect({ args, code, stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(message);
    }
    expect(enclave([...VALID_TEST_1, '--colour']).code).toBe(2);
    const json = enclave(['--json', 'pki', 'validate', ...ANCHOR]);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: false, failure: { code: 'USAGE' } });
  });
});

describe('enclave pki validate --piv on a PIV-shaped PKI', () => {
  const DAY = 86_400_000;
  const now = Date.now();
  const P256 = { type: 'ec', curve: 'P-256' } as const;
  const files: Record<string, string> = {};

  const name = (cn: string) =>
    distinguishedName([
      [OID.countryName, 'US'],
      [OID.organizationName, 'PIV CLI Test'],
      [OID.commonName, cn],
    ]);
  async function issue(cn: string, issuer: Issued | null, extra: Partial<CertificateRequest>): Promise<Issued> {
    return issueCertificate({
      subject: name(cn),
      key: await generateKeyPair(P256),
      issuer,
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 365 * DAY),
      keyUsage: ['digitalSignature'],
      ...extra,
    });
  }
  const save = (file: string, content: string | Buffer) => {
    files[file] = join(work, file);
    writeFileSync(files[file], content);
  };

  beforeAll(async () => {
    const caUsage: CertificateRequest['keyUsage'] = ['keyCertSign', 'cRLSign'];
    const root = await issue('Root CA', null, { ca: {}, keyUsage: caUsage });
    const ca = await issue('PIV Issuing CA', root, {
      ca: { pathLength: 0 },
      keyUsage: caUsage,
      policies: [OID.fpkiCommonAuthentication],
    });
    const card = { policies: [OID.fpkiCommonAuthentication], altNames: { upn: '1111111111@mil' } };
    save('root.crt', root.der);
    save('ca.pem', toPem(ca.der, 'CERTIFICATE'));
    save('card.crt', (await issue('USER.ONE.1111111111', ca, card)).der);
    save('no-identifier.crt', (await issue('USER.TWO', ca, { policies: card.policies })).der);
    save(
      'no-signature.crt',
      (await issue('USER.THREE.3333333333', ca, { ...card, keyUsage: ['keyEncipherment'] })).der,
    );
    // A subject that would drive the terminal: ESC sequences, a forged line, a bidi override.
    save('hostile.crt', (await issue('USER\u001b[2J\u001b[32mVALID\nUSER.FOUR.4444444444\u202e', ca, card)).der);
    const crl = (issuer: Issued, number: number) =>
      issueCrl({
        issuer,
        thisUpdate: new Date(now - 60_000),
        nextUpdate: new Date(now + 7 * DAY),
        number,
        revoked: [],
      });
    save('crls.pem', toPem(await crl(root, 1), 'X509 CRL') + toPem(await crl(ca, 1), 'X509 CRL'));
  });

  const piv = (target: string, ...extra: string[]) =>
    enclave([
      'pki',
      'validate',
      '--cert',
      files[target]!,
      '--intermediate',
      files['ca.pem']!,
      '--anchor',
      files['root.crt']!,
      '--crl',
      files['crls.pem']!,
      ...extra,
    ]);

  it('a card certificate that meets the PIV rules is VALID for the PIV Authentication policy', () => {
    const { code, stdout } = piv('card.crt', '--piv');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^VALID\n {2}0 target: subject "CN=USER\.ONE\.1111111111, O=PIV CLI Test, C=US"/);
    expect(stdout).toContain(`User-constrained policies: ${OID.fpkiCommonAuthentication}\n`);
  });

  it('--piv refuses what the generic validation accepts: no holder identifier, no digital signature, a policy not accepted', () => {
    expect(piv('no-identifier.crt').code).toBe(0);
    const noIdentifier = piv('no-identifier.crt', '--piv');
    expect(noIdentifier.code).toBe(1);
    expect(noIdentifier.stdout).toMatch(/^INVALID\nPIV_IDENTIFIER: .*EDIPI, UPN or card UUID/);

    expect(piv('no-signature.crt').code).toBe(0);
    const noSignature = piv('no-signature.crt', '--piv');
    expect(noSignature.code).toBe(1);
    expect(noSignature.stdout).toMatch(/^INVALID\nPIV_KEY_USAGE: /);

    const otherPolicy = piv('card.crt', '--piv', '--piv-policy', '2.16.840.1.101.2.1.11.42', '--json');
    expect(otherPolicy.code).toBe(1);
    expect(JSON.parse(otherPolicy.stdout)).toMatchObject({
      valid: false,
      policies: { userConstrained: [OID.fpkiCommonAuthentication] },
      failure: { code: 'PIV_POLICY', index: 0 },
    });
  });

  it('a subject with control characters is printed escaped, in text and in JSON', () => {
    const text = piv('hostile.crt');
    expect(text.code).toBe(0);
    expect(text.stdout.includes('\u001b') || text.stdout.includes('\u202e')).toBe(false);
    expect(text.stdout).toContain('subject "CN=USER\\u001b[2J\\u001b[32mVALID\\u000aUSER.FOUR.4444444444\\u202e, ');
    expect(text.stdout.split('\n')[1]).toMatch(/^ {2}0 target: /);
    const json = piv('hostile.crt', '--json');
    expect(json.stdout.includes('\u001b') || json.stdout.includes('\u202e')).toBe(false);
    expect((JSON.parse(json.stdout) as JsonOutcome).path[0]!.subject).toBe(
      'CN=USER\u001b[2J\u001b[32mVALID\nUSER.FOUR.4444444444\u202e, O=PIV CLI Test, C=US',
    );
  });
});
