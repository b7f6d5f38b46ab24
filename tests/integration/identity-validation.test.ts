import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentitySettingsSchema, type IdentitySettings } from '../../common/site/site-config';
import {
  validateAuthenticationCertificate,
  type ValidationInput,
  type ValidationResult,
} from '../../electron/services/identity';
import { PIV_KEY_ID, Pkcs11Module } from '../../native/pkcs11';
import { provisionPivFixture, slotOf, type PivFixture, type PivVariant } from '../support/fixtures/piv';

// Path validation of each SoftHSM2 test card's PIV Authentication certificate, read from the token,
// against the fixture PKI: the outcome and the analyst's message for every variant.

let fixture: PivFixture;
let module: Pkcs11Module;
const defaults: IdentitySettings = IdentitySettingsSchema.parse({});
const DAY = 86_400_000;

beforeAll(async () => {
  fixture = await provisionPivFixture();
  module = Pkcs11Module.load(fixture.modulePath);
});
afterAll(() => {
  module?.close();
  fixture?.cleanup();
});

/** The 9A certificate as the card presents it (CKA_ID 01), not the fixture's copy. */
function cardCertificate(variant: PivVariant): Buffer {
  const session = module.openSession(slotOf(module, fixture.users[variant]));
  try {
    const certificate = session.certificate(PIV_KEY_ID.authentication);
    if (!certificate) throw new Error(`no 9A certificate on ${variant}`);
    return certificate.der;
  } finally {
    session.close();
  }
}

function validate(
  variant: PivVariant,
  overrides: Partial<Omit<ValidationInput, 'settings'>> & { settings?: Partial<IdentitySettings> } = {},
): Promise<ValidationResult> {
  return validateAuthenticationCertificate({
    certificate: cardCertificate(variant),
    intermediates: [fixture.intermediateCa],
    trustAnchors: [fixture.rootCa],
    crls: [fixture.crl, fixture.rootCrl],
    ...overrides,
    settings: { ...defaults, ...overrides.settings },
  });
}

function failure(result: ValidationResult) {
  if (result.ok) throw new Error('expected a refusal');
  return result;
}

describe('PIV Authentication certificate validation (SoftHSM2 cards)', () => {
  it.each(['valid-rsa', 'valid-ecc'] as const)(
    'accepts %s and identifies the holder by EDIPI, UPN and UUID',
    async (variant) => {
      const user = fixture.users[variant];
      const result = await validate(variant);
      if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
      expect(result.identity).toEqual({
        edipi: user.edipi,
        upn: `${user.edipi}@mil`,
        uuid: user.uuid,
        displayName: user.commonName,
      });
      expect(result.policies).toEqual(['2.16.840.1.101.3.2.1.3.13']);
      expect(result.warnings).toEqual([]);
      expect(result.path.map((c) => c.subject)).toEqual([
        `CN=${user.commonName}, OU=CONTRACTOR, OU=PKI, OU=DoD, O=U.S. Government, C=US`,
        'CN=Enclave Test ID CA-1, OU=PKI, OU=DoD, O=U.S. Government, C=US',
        'CN=Enclave Test Root CA, OU=PKI, OU=DoD, O=U.S. Government, C=US',
      ]);
    },
  );

  it('refuses the expired card with EXPIRED and the date it expired', async () => {
    const result = failure(await validate('expired'));
    expect(result.code).toBe('EXPIRED');
    if (result.code !== 'EXPIRED') return;
    expect(Math.abs(result.notAfter.getTime() - (Date.now() - 7 * DAY))).toBeLessThan(DAY);
    expect(result.message).toBe(
      `The card’s PIV Authentication certificate expired on ${result.notAfter.toISOString().slice(0, 10)}. Renew the card at a card office (RAPIDS/ID office).`,
    );
  });

  it('refuses a certificate before its notBefore with NOT_YET_VALID (a clock set back)', async () => {
    const result = failure(await validate('valid-ecc', { at: new Date(Date.now() - 30 * DAY) }));
    expect(result.code).toBe('NOT_YET_VALID');
    expect(result.message).toMatch(
      /^The card’s PIV Authentication certificate is not valid until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\. Check this workstation's clock/,
    );
  });

  it('refuses the revoked card with REVOKED, the revocation date and the reason', async () => {
    const result = failure(await validate('revoked'));
    expect(result.code).toBe('REVOKED');
    if (result.code !== 'REVOKED') return;
    expect(Math.abs(result.revokedAt.getTime() - (Date.now() - DAY))).toBeLessThan(DAY);
    expect(result.reason).toBe('key compromise');
    expect(result.message).toBe(
      `The card’s PIV Authentication certificate was revoked on ${result.revokedAt.toISOString().slice(0, 10)} (key compromise). This card can no longer be used to sign in.`,
    );
  });

  it('finds the revocation even when only the stale CRL lists it (revocation is permanent)', async () => {
    expect(failure(await validate('revoked', { crls: [fixture.staleCrl, fixture.rootCrl] })).code).toBe('REVOKED');
  });

  it('refuses the card from an unknown PKI with UNTRUSTED_ISSUER, naming the issuer, even given that PKI’s root as an intermediate', async () => {
    for (const intermediates of [[fixture.intermediateCa], [fixture.intermediateCa, fixture.untrustedRootCa]]) {
      const result = failure(await validate('untrusted', { intermediates }));
      expect(result.code).toBe('UNTRUSTED_ISSUER');
      expect(result.message).toContain(
        'issued by "CN=Untrusted Test Root CA, O=Untrusted Test PKI, C=US", which does not chain to a trust anchor on this workstation',
      );
    }
  });

  it('refuses every card when there is no trust anchor, and needs the intermediate to build the path', async () => {
    expect(failure(await validate('valid-ecc', { trustAnchors: [] })).code).toBe('UNTRUSTED_ISSUER');
    expect(failure(await validate('valid-ecc', { intermediates: [] })).code).toBe('UNTRUSTED_ISSUER');
  });

  it('refuses the card-authentication-only certificate with WRONG_POLICY and its own message', async () => {
    const result = failure(await validate('card-auth-only'));
    expect(result.code).toBe('WRONG_POLICY');
    if (result.code !== 'WRONG_POLICY') return;
    expect(result.reason).toBe('card-authentication');
    expect(result.policies).toEqual(['2.16.840.1.101.3.2.1.3.17']);
    expect(result.message).toMatch(
      /^This is a Card Authentication certificate \(PIV slot 9E\), which works without the PIN and can never be used to sign in\./,
    );
  });

  it('refuses a valid card when the site accepts none of its policies (WRONG_POLICY, not accepted)', async () => {
    const result = failure(
      await validate('valid-rsa', { settings: { authenticationPolicies: ['2.16.840.1.101.2.1.11.42'] } }),
    );
    expect(result).toMatchObject({ code: 'WRONG_POLICY', reason: 'not-accepted' });
    expect(result.message).toContain('it asserts 2.16.840.1.101.3.2.1.3.13');
  });

  it('fails closed on a stale CRL (CRL_TOO_OLD) and allows it with a warning when the site says so', async () => {
    const crls = [fixture.staleCrl, fixture.rootCrl];
    const refused = failure(await validate('valid-ecc', { crls }));
    expect(refused.code).toBe('CRL_TOO_OLD');
    expect(refused.message).toMatch(
      /^The newest CRL from "CN=Enclave Test ID CA-1, OU=PKI, OU=DoD, O=U\.S\. Government, C=US" \(issued \d{4}-\d{2}-\d{2}\) expired at its next update on \d{4}-\d{2}-\d{2}\. An administrator must import a current CRL\.$/,
    );

    const allowed = await validate('valid-ecc', { crls, settings: { revocationUnavailable: 'warn' } });
    if (!allowed.ok) throw new Error(allowed.message);
    expect(allowed.warnings).toHaveLength(1);
    expect(allowed.warnings[0]).toMatchObject({
      code: 'CRL_TOO_OLD',
      certificate: { subject: expect.stringContaining('ROE.JANE.A.2345678901') },
    });
    expect(allowed.warnings[0]?.message).toMatch(
      /Allowed by this site's configuration \(revocationUnavailable: warn\)\.$/,
    );
  });

  it('uses the newest CRL when a stale and a current one are both imported', async () => {
    expect((await validate('valid-ecc', { crls: [fixture.staleCrl, fixture.crl, fixture.rootCrl] })).ok).toBe(true);
  });

  it('counts a CRL only for the site’s maximum age past its thisUpdate', async () => {
    // The current CRL was issued an hour ago: too old for a site that allows 30 minutes.
    const result = failure(await validate('valid-ecc', { settings: { maxCrlAgeDays: 30 / 1440 } }));
    expect(result.code).toBe('CRL_TOO_OLD');
    expect(result.message).toContain('days old, more than the 0.0208');
  });

  it('fails closed with CRL_MISSING when no CRL is imported, for the card and for its CA', async () => {
    const none = failure(await validate('valid-rsa', { crls: [] }));
    expect(none.code).toBe('CRL_MISSING');
    expect(none.message).toBe(
      'No current CRL from "CN=Enclave Test ID CA-1, OU=PKI, OU=DoD, O=U.S. Government, C=US" has been imported, so revocation cannot be checked. An administrator must import that CA\'s CRL.',
    );
    // The intermediate itself needs the root's CRL.
    const noRootCrl = failure(await validate('valid-rsa', { crls: [fixture.crl] }));
    expect(noRootCrl).toMatchObject({
      code: 'CRL_MISSING',
      certificate: { subject: expect.stringContaining('Enclave Test ID CA-1') },
    });

    const warned = await validate('valid-rsa', { crls: [], settings: { revocationUnavailable: 'warn' } });
    if (!warned.ok) throw new Error(warned.message);
    expect(warned.warnings.map((w) => w.code)).toEqual(['CRL_MISSING', 'CRL_MISSING']);
  });

  it('ignores a CRL whose signature does not verify with the issuer’s key', async () => {
    const forged = Buffer.from(fixture.crl);
    forged[forged.length - 5]! ^= 0x01; // inside the signature value
    expect(failure(await validate('valid-ecc', { crls: [forged, fixture.rootCrl] })).code).toBe('CRL_MISSING');
    // …so a revoked card is not cleared by a forged CRL, but neither can a forged one revoke anyone.
    expect(failure(await validate('revoked', { crls: [forged, fixture.rootCrl] })).code).toBe('CRL_MISSING');
  });

  it('refuses an altered certificate with BAD_SIGNATURE', async () => {
    const altered = cardCertificate('valid-rsa');
    altered[altered.length - 10]! ^= 0x01; // inside the issuer's RSA signature
    const result = failure(await validate('valid-rsa', { certificate: altered }));
    expect(result.code).toBe('BAD_SIGNATURE');
    expect(result.message).toMatch(
      /^The signature on "CN=DOE\.JOHN\.Q\.1234567890, .*" does not verify with the key of its issuer "CN=Enclave Test ID CA-1, /,
    );
  });

  it('refuses a CA certificate offered as the card’s certificate: it identifies no one', async () => {
    const result = failure(await validate('valid-rsa', { certificate: fixture.intermediateCa }));
    expect(result).toMatchObject({
      code: 'MALFORMED',
      message: 'The card’s certificate carries no EDIPI, UPN or card UUID, so its holder cannot be identified.',
    });
  });

  it.each([
    ['empty input', Buffer.alloc(0)],
    ['random bytes', Buffer.from('3082ffff0102030405', 'hex')],
    ['a truncated certificate', () => cardCertificate('valid-ecc').subarray(0, 200)],
    ['a certificate with trailing bytes', () => Buffer.concat([cardCertificate('valid-ecc'), Buffer.from([0, 0])])],
    ['PEM text', Buffer.from('-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n')],
    ['a CRL', () => fixture.crl],
  ] as const)('answers MALFORMED, without parser or stack text, for %s', async (_name, input) => {
    const certificate = typeof input === 'function' ? input() : input;
    const result = failure(await validate('valid-ecc', { certificate }));
    expect(result).toEqual({
      ok: false,
      code: 'MALFORMED',
      message: 'The card’s PIV Authentication certificate is not a valid DER-encoded X.509 certificate.',
    });
  });

  it('answers MALFORMED for a damaged intermediate or anchor, naming which', async () => {
    expect(await validate('valid-ecc', { intermediates: [Buffer.from([0x30, 0x00])] })).toEqual({
      ok: false,
      code: 'MALFORMED',
      message: 'An intermediate CA certificate is not a valid DER-encoded X.509 certificate.',
    });
    expect(await validate('valid-ecc', { trustAnchors: [Buffer.from('nope')] })).toEqual({
      ok: false,
      code: 'MALFORMED',
      message: 'A stored trust anchor is not a valid DER-encoded X.509 certificate.',
    });
  });
});
