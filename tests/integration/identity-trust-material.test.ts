import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentitySettingsSchema } from '../../common/site/site-config';
import { parseCrls, parseTrustAnchors, validateAuthenticationCertificate } from '../../electron/services/identity';
import { provisionPivFixture, type PivFixture } from '../support/fixtures/piv';

// Trust anchors and CRLs as an admin imports them: PEM, DER and PKCS#7 bundles made by OpenSSL,
// described the way OpenSSL describes them, and wrong files refused with a message that says why.

let fixture: PivFixture;
let pki: (name: string) => string;
beforeAll(async () => {
  fixture = await provisionPivFixture();
  pki = (name) => join(fixture.dir, 'pki', name);
});
afterAll(() => fixture?.cleanup());

const openssl = (...args: string[]) => execFileSync('openssl', args);
const ROOT = 'CN=Enclave Test Root CA, OU=PKI, OU=DoD, O=U.S. Government, C=US';
const INTERMEDIATE = 'CN=Enclave Test ID CA-1, OU=PKI, OU=DoD, O=U.S. Government, C=US';

function opensslFingerprint(pemPath: string): string {
  const line = openssl('x509', '-in', pemPath, '-noout', '-fingerprint', '-sha256').toString();
  return line.split('=')[1]!.trim().replace(/:/g, '').toLowerCase();
}

function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a refusal');
}

describe('trust anchor import', () => {
  it('reads a PEM root: subject, issuer, serial, validity and SHA-256 fingerprint as OpenSSL sees them', () => {
    const [anchor, ...rest] = parseTrustAnchors(readFileSync(pki('root-ca.pem')));
    expect(rest).toEqual([]);
    const openSslView = new X509Certificate(fixture.rootCa);
    expect(anchor).toMatchObject({
      subject: ROOT,
      issuer: ROOT,
      selfSigned: true,
      serialNumber: openSslView.serialNumber.toLowerCase(),
      sha256: opensslFingerprint(pki('root-ca.pem')),
    });
    expect(anchor?.notBefore.toISOString()).toBe(new Date(openSslView.validFrom).toISOString());
    expect(anchor?.notAfter.toISOString()).toBe(new Date(openSslView.validTo).toISOString());
    expect(anchor?.der.equals(fixture.rootCa)).toBe(true);
  });

  it('reads a DER intermediate and a PEM file holding several certificates', () => {
    expect(parseTrustAnchors(fixture.intermediateCa)).toMatchObject([
      {
        subject: INTERMEDIATE,
        issuer: ROOT,
        selfSigned: false,
        sha256: createHash('sha256').update(fixture.intermediateCa).digest('hex'),
      },
    ]);
    const bundle = Buffer.concat([readFileSync(pki('root-ca.pem')), readFileSync(pki('intermediate-ca.pem'))]);
    expect(parseTrustAnchors(bundle).map((a) => a.subject)).toEqual([ROOT, INTERMEDIATE]);
  });

  it.each(['DER', 'PEM'])(
    'reads a certs-only PKCS#7 bundle (%s) made by openssl crl2pkcs7, and its anchors validate a card',
    async (outform) => {
      const p7 = openssl(
        'crl2pkcs7',
        '-nocrl',
        '-certfile',
        pki('root-ca.pem'),
        '-certfile',
        pki('intermediate-ca.pem'),
        '-outform',
        outform,
      );
      const anchors = parseTrustAnchors(p7);
      expect(anchors.map((a) => a.subject).sort()).toEqual([INTERMEDIATE, ROOT].sort());
      expect(anchors.find((a) => a.subject === ROOT)?.sha256).toBe(opensslFingerprint(pki('root-ca.pem')));

      const root = anchors.find((a) => a.selfSigned)!;
      const result = await validateAuthenticationCertificate({
        certificate: fixture.users['valid-ecc'].certificates.authentication,
        intermediates: anchors.filter((a) => !a.selfSigned).map((a) => a.der),
        trustAnchors: [root.der],
        crls: parseCrls(readFileSync(pki('intermediate.crl.pem')))
          .concat(parseCrls(fixture.rootCrl))
          .map((c) => c.der),
        settings: IdentitySettingsSchema.parse({}),
      });
      expect(result.ok).toBe(true);
    },
  );

  it.each([
    [
      'a user certificate',
      () => fixture.users['valid-rsa'].certificates.authentication,
      /^"CN=DOE\.JOHN\.Q\.1234567890, .*" is not a CA certificate \(basicConstraints cA is not set\), so it cannot be a trust anchor\.$/,
    ],
    [
      'a CRL (PEM)',
      () => readFileSync(pki('intermediate.crl.pem')),
      /^The file is a CRL, not a certificate: import it as a CRL\.$/,
    ],
    ['a CRL (DER)', () => fixture.crl, /^The file is a CRL, not a certificate: import it as a CRL\.$/],
    [
      'a private key',
      () => Buffer.from('-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n'),
      /^The file holds a private key\./,
    ],
    [
      'text',
      () => Buffer.from('hello, world\n'),
      /^The file is not a certificate: expected a PEM or DER X\.509 certificate, or a PKCS#7 bundle \(\.p7b\/\.p7c\)\.$/,
    ],
    [
      'a truncated certificate',
      () => fixture.rootCa.subarray(0, fixture.rootCa.length - 20),
      /^The file is not a certificate/,
    ],
    [
      'a damaged PEM certificate',
      () => Buffer.from('-----BEGIN CERTIFICATE-----\nMIIBADCB\n-----END CERTIFICATE-----\n'),
      /^The file is not a valid DER-encoded X\.509 certificate\.$/,
    ],
    [
      'an unfinished PEM block',
      () => Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB'),
      /^The file looks like PEM but has no complete BEGIN\/END block\.$/,
    ],
  ])('refuses %s with a clear message and no stack text', (_name, input, message) => {
    const error = errorOf(() => parseTrustAnchors(input()));
    expect(error.name).toBe('MalformedInputError');
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(/\n|\bat \S+:\d+|TypeError|asn1|undefined/i);
  });
});

describe('CRL import', () => {
  it('reads PEM and DER CRLs: issuer, dates, CRL number, entries, fingerprint', () => {
    const [pem] = parseCrls(readFileSync(pki('intermediate.crl.pem')));
    const [der] = parseCrls(fixture.crl);
    for (const crl of [pem, der]) {
      expect(crl).toMatchObject({
        issuer: INTERMEDIATE,
        crlNumber: '2',
        revokedCount: 1,
        sha256: createHash('sha256').update(fixture.crl).digest('hex'),
      });
      expect(crl!.nextUpdate!.getTime() - crl!.thisUpdate.getTime()).toBeGreaterThan(7 * 86_400_000);
    }
    expect(parseCrls(fixture.staleCrl)[0]).toMatchObject({ crlNumber: '1', revokedCount: 1 });
    expect(parseCrls(fixture.rootCrl)[0]).toMatchObject({ issuer: ROOT, revokedCount: 0 });
  });

  it('agrees with OpenSSL on the dates', () => {
    const text = openssl('crl', '-in', pki('intermediate.crl.pem'), '-noout', '-lastupdate', '-nextupdate').toString();
    const [, last] = /lastUpdate=(.*)/.exec(text) ?? [];
    const [crl] = parseCrls(fixture.crl);
    expect(crl!.thisUpdate.getTime()).toBe(new Date(last!).getTime());
  });

  it.each([
    ['a certificate', () => fixture.rootCa, /^The file holds certificates, not a CRL: import it as a trust anchor\.$/],
    ['a PEM certificate', () => readFileSync(pki('root-ca.pem')), /^The file holds certificates, not a CRL/],
    ['text', () => Buffer.from('not a crl'), /^The file is not a CRL: expected a PEM or DER X\.509 CRL\.$/],
    ['a truncated CRL', () => fixture.crl.subarray(0, 100), /^The file is not a CRL/],
  ])('refuses %s with a clear message', (_name, input, message) => {
    const error = errorOf(() => parseCrls(input()));
    expect(error.name).toBe('MalformedInputError');
    expect(error.message).toMatch(message);
  });
});
