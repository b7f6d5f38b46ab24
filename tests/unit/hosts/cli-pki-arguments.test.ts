import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRequest, parseAt, parseOid } from '../../../hosts/cli/pki-arguments';
import { PKI_FILE_MAX_BYTES, PkiUsageError } from '../../../hosts/cli/pki-files';
import { DEFAULT_AUTHENTICATION_POLICIES } from '../../../common/site/site-config';
import { PKITS_DIR } from '../../support/pkits';
import { toPem } from '../../support/fixtures/piv/pki';

/**
 * `enclave pki validate`'s arguments and files, checked before anything is validated: every bad one
 * is a PkiUsageError (exit 2) whose one line names the option, the file and what is wrong.
 */
const work = mkdtempSync(join(tmpdir(), 'enclave-cli-pki-args-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const cert = (name: string) => join(PKITS_DIR, 'certs', name);
const crl = (name: string) => join(PKITS_DIR, 'crls', name);
const ANCHOR = cert('TrustAnchorRootCertificate.crt');
const LEAF = cert('ValidCertificatePathTest1EE.crt');
const write = (name: string, content: string | Buffer) => {
  const path = join(work, name);
  writeFileSync(path, content);
  return path;
};

/** The usage error's message, or a failure when there is none. */
function usage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PkiUsageError);
    return (error as Error).message;
  }
  throw new Error('expected a usage error');
}

describe('enclave pki validate: arguments', () => {
  it('reads DER files into the validator input, with the RFC 5280 defaults', () => {
    const request = buildRequest(
      {
        cert: LEAF,
        intermediate: [cert('GoodCACert.crt')],
        anchor: [ANCHOR],
        crl: [crl('GoodCACRL.crl'), crl('TrustAnchorRootCRL.crl')],
        at: '2011-06-01',
      },
      new Date(0),
    );
    expect(request.input.target.der).toEqual(readFileSync(LEAF));
    expect(request.input.intermediates).toHaveLength(1);
    expect(request.input.anchors).toHaveLength(1);
    expect(request.input.crls).toHaveLength(2);
    expect(request.input).toMatchObject({
      at: new Date('2011-06-01T00:00:00Z'),
      initialPolicySet: ['2.5.29.32.0'],
      initialExplicitPolicy: false,
      initialPolicyMappingInhibit: false,
      initialAnyPolicyInhibit: false,
      revocation: 'require',
    });
    expect(request.pivPolicies).toBeNull();
  });

  it('reads PEM files, several certificates or CRLs in one file', () => {
    const pemChain = write(
      'chain.pem',
      toPem(readFileSync(cert('GoodCACert.crt')), 'CERTIFICATE') +
        toPem(readFileSync(cert('GoodsubCACert.crt')), 'CERTIFICATE'),
    );
    const pemCrls = write(
      'crls.pem',
      toPem(readFileSync(crl('GoodCACRL.crl')), 'X509 CRL') +
        toPem(readFileSync(crl('TrustAnchorRootCRL.crl')), 'X509 CRL'),
    );
    const pemLeaf = write('leaf.pem', toPem(readFileSync(LEAF), 'CERTIFICATE'));
    const request = buildRequest({ cert: pemLeaf, intermediate: [pemChain], anchor: [ANCHOR], crl: [pemCrls] });
    expect(request.input.target.der).toEqual(readFileSync(LEAF));
    expect(request.input.intermediates.map((c) => c.der)).toEqual([
      readFileSync(cert('GoodCACert.crt')),
      readFileSync(cert('GoodsubCACert.crt')),
    ]);
    expect(request.input.crls).toHaveLength(2);
  });

  it('passes the policy inputs through, and --piv takes the default PIV policies or the ones given', () => {
    const request = buildRequest({
      cert: LEAF,
      anchor: [ANCHOR],
      initialPolicy: ['2.16.840.1.101.3.2.1.48.1', '2.16.840.1.101.3.2.1.48.2', '2.16.840.1.101.3.2.1.48.1'],
      explicitPolicy: true,
      inhibitPolicyMapping: true,
      inhibitAnyPolicy: true,
      revocation: 'warn',
      piv: true,
    });
    expect(request.input).toMatchObject({
      initialPolicySet: ['2.16.840.1.101.3.2.1.48.1', '2.16.840.1.101.3.2.1.48.2'],
      initialExplicitPolicy: true,
      initialPolicyMappingInhibit: true,
      initialAnyPolicyInhibit: true,
      revocation: 'warn',
    });
    expect(request.pivPolicies).toEqual([...DEFAULT_AUTHENTICATION_POLICIES]);
    expect(
      buildRequest({ cert: LEAF, anchor: [ANCHOR], piv: true, pivPolicy: ['2.16.840.1.101.3.2.1.3.13'] }).pivPolicies,
    ).toEqual(['2.16.840.1.101.3.2.1.3.13']);
  });

  it('refuses a missing --cert or --anchor', () => {
    expect(usage(() => buildRequest({ anchor: [ANCHOR] }))).toBe(
      '--cert FILE is required: the certificate to validate',
    );
    expect(usage(() => buildRequest({ cert: LEAF }))).toBe('--anchor FILE is required (at least one trust anchor)');
    expect(usage(() => buildRequest({ cert: LEAF, anchor: [] }))).toMatch(/^--anchor FILE is required/);
  });

  it('refuses a malformed object identifier', () => {
    for (const bad of ['anyPolicy', '2.5.29.32.', '1', '3.1.2', '1.40.1', '2.5.029', '2.5..1', ' 2.5.29.32.0'])
      expect(usage(() => parseOid('--initial-policy', bad))).toBe(
        `--initial-policy takes an object identifier in dotted decimal, such as 2.16.840.1.101.3.2.1.48.1 (got "${bad}")`,
      );
    expect(parseOid('--initial-policy', '2.999.1')).toBe('2.999.1');
    expect(usage(() => buildRequest({ cert: LEAF, anchor: [ANCHOR], initialPolicy: ['x'] }))).toMatch(
      /^--initial-policy takes an object identifier/,
    );
    expect(usage(() => buildRequest({ cert: LEAF, anchor: [ANCHOR], piv: true, pivPolicy: ['1.2.x'] }))).toMatch(
      /^--piv-policy takes an object identifier/,
    );
    expect(usage(() => buildRequest({ cert: LEAF, anchor: [ANCHOR], pivPolicy: ['1.2.3'] }))).toBe(
      '--piv-policy applies only with --piv',
    );
    expect(usage(() => buildRequest({ cert: LEAF, anchor: [ANCHOR], revocation: 'maybe' }))).toBe(
      '--revocation takes require, warn or off (got "maybe")',
    );
  });

  it('takes --at as an ISO 8601 date or time with its zone, and refuses anything else', () => {
    expect(parseAt('2011-06-01')).toEqual(new Date('2011-06-01T00:00:00Z'));
    expect(parseAt('2011-06-01T12:30:00Z')).toEqual(new Date('2011-06-01T12:30:00Z'));
    expect(parseAt('2011-06-01T12:30+02:00')).toEqual(new Date('2011-06-01T10:30:00Z'));
    for (const bad of ['yesterday', '2011-06-01T12:30:00', '2011-02-30', '2011-13-01', '06/01/2011', '1306886400', ''])
      expect(usage(() => parseAt(bad))).toBe(
        `--at takes an ISO 8601 time with its zone, such as 2011-06-01 or 2011-06-01T12:00:00Z (got "${bad}")`,
      );
  });
});

describe('enclave pki validate: files', () => {
  const refused = (options: Parameters<typeof buildRequest>[0]) => usage(() => buildRequest(options));

  it('refuses a file that is missing, a directory, or a FIFO, naming the option and the file', () => {
    const missing = join(work, 'no-such.crt');
    expect(refused({ cert: missing, anchor: [ANCHOR] })).toBe(`--cert ${missing}: no such file`);
    const dir = join(work, 'a-directory');
    mkdirSync(dir);
    expect(refused({ cert: LEAF, anchor: [dir] })).toBe(`--anchor ${dir}: not a regular file (a directory)`);
    const fifo = join(work, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(refused({ cert: LEAF, anchor: [ANCHOR], crl: [fifo] })).toBe(`--crl ${fifo}: not a regular file (a FIFO)`);
  });

  it('refuses a file over 10 MiB without reading it', () => {
    const big = join(work, 'big.crl');
    const fd = openSync(big, 'w');
    // Sparse: the size is over the cap, the disk holds nothing.
    writeFileSync(fd, Buffer.alloc(1));
    closeSync(fd);
    execFileSync('truncate', ['-s', String(PKI_FILE_MAX_BYTES + 1), big]);
    expect(refused({ cert: LEAF, anchor: [ANCHOR], crl: [big] })).toBe(
      `--crl ${big}: the file is larger than 10 MiB, the most a certificate or CRL file may be`,
    );
  });

  it('refuses a file that is not a certificate or CRL, or the wrong one of the two', () => {
    const text = write('notes.txt', 'hello\n');
    expect(refused({ cert: text, anchor: [ANCHOR] })).toBe(
      `--cert ${text}: the file holds neither a certificate nor a CRL (PEM or DER)`,
    );
    expect(refused({ cert: crl('GoodCACRL.crl'), anchor: [ANCHOR] })).toBe(
      `--cert ${crl('GoodCACRL.crl')}: the file holds a CRL, not a certificate (give CRLs with --crl)`,
    );
    expect(refused({ cert: LEAF, anchor: [ANCHOR], crl: [cert('GoodCACert.crt')] })).toBe(
      `--crl ${cert('GoodCACert.crt')}: the file holds a certificate, not a CRL (give certificates with --cert, --intermediate or --anchor)`,
    );
    const key = write('key.pem', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
    expect(refused({ cert: LEAF, anchor: [key] })).toBe(`--anchor ${key}: the file holds a private key`);
    const broken = write('broken.pem', '-----BEGIN CERTIFICATE-----\nAAAA\n');
    expect(refused({ cert: broken, anchor: [ANCHOR] })).toBe(
      `--cert ${broken}: The file looks like PEM but has no complete BEGIN/END block.`,
    );
    // Damaged files: the parser's own words never reach the user.
    const truncated = write('truncated.crt', readFileSync(LEAF).subarray(0, 200));
    expect(refused({ cert: truncated, anchor: [ANCHOR] })).toBe(
      `--cert ${truncated}: the file holds neither a certificate nor a CRL (PEM or DER)`,
    );
    const badPem = write('bad-block.pem', toPem(Buffer.from('not a certificate'), 'CERTIFICATE'));
    expect(refused({ cert: badPem, anchor: [ANCHOR] })).toBe(
      `--cert ${badPem}: The file is not a valid DER-encoded X.509 certificate.`,
    );
  });

  it('takes exactly one certificate as the target', () => {
    const two = write(
      'two.pem',
      toPem(readFileSync(LEAF), 'CERTIFICATE') + toPem(readFileSync(cert('GoodCACert.crt')), 'CERTIFICATE'),
    );
    expect(refused({ cert: two, anchor: [ANCHOR] })).toBe(
      `--cert ${two}: the file holds 2 certificates; --cert takes exactly one (give the others with --intermediate or --anchor)`,
    );
  });
});
