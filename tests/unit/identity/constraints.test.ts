import { describe, expect, it } from 'vitest';
import { IdentitySettingsSchema } from '../../../common/site/site-config';
import { validateAuthenticationCertificate, type ValidationResult } from '../../../electron/services/identity';
import {
  distinguishedName,
  generateKeyPair,
  issueCertificate,
  issueCrl,
  OID,
  type CertificateRequest,
  type Issued,
} from '../../support/fixtures/piv/pki';

// Path constraints the SoftHSM fixtures do not exercise, on small PKIs built here with pkijs (no card
// needed: these checks read certificates only): key usage, CA flags, path length, policy inheritance.

const DAY = 86_400_000;
const now = Date.now();
const name = (cn: string) =>
  distinguishedName([
    [OID.countryName, 'US'],
    [OID.organizationName, 'Constraint Test'],
    [OID.commonName, cn],
  ]);
const P256 = { type: 'ec', curve: 'P-256' } as const;
const caUsage: CertificateRequest['keyUsage'] = ['keyCertSign', 'cRLSign'];

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

const userExtras: Partial<CertificateRequest> = {
  policies: [OID.fpkiCommonAuthentication],
  altNames: { upn: '1111111111@mil' },
};

async function validate(chain: Issued[], leaf: Issued): Promise<ValidationResult> {
  const crls = await Promise.all(
    chain.map((ca, i) =>
      issueCrl({
        issuer: ca,
        thisUpdate: new Date(now - 60_000),
        nextUpdate: new Date(now + 7 * DAY),
        number: i + 1,
        revoked: [],
      }),
    ),
  );
  return validateAuthenticationCertificate({
    certificate: leaf.der,
    intermediates: chain.slice(1).map((c) => c.der),
    trustAnchors: [chain[0]!.der],
    crls,
    settings: IdentitySettingsSchema.parse({}),
  });
}

describe('path constraints', () => {
  it('accepts a well-formed root → CA → card path (the baseline for the cases below)', async () => {
    const root = await issue('Root', null, { ca: {}, keyUsage: caUsage });
    const ca = await issue('CA', root, {
      ca: { pathLength: 0 },
      keyUsage: caUsage,
      policies: [OID.fpkiCommonAuthentication],
    });
    const result = await validate([root, ca], await issue('USER.ONE.1111111111', ca, userExtras));
    expect(result).toMatchObject({ ok: true, identity: { edipi: '1111111111', upn: '1111111111@mil', uuid: null } });
  });

  it('BAD_KEY_USAGE: a card certificate without digitalSignature, or issued for e-mail only', async () => {
    const root = await issue('Root', null, { ca: {}, keyUsage: caUsage, policies: [OID.fpkiCommonAuthentication] });
    const noSignature = await validate(
      [root],
      await issue('USER.TWO.2222222222', root, { ...userExtras, keyUsage: ['keyAgreement'] }),
    );
    expect(noSignature).toMatchObject({
      ok: false,
      code: 'BAD_KEY_USAGE',
      message: expect.stringContaining('does not allow digital signatures'),
    });
    const emailOnly = await validate(
      [root],
      await issue('USER.THREE.3333333333', root, { ...userExtras, extendedKeyUsage: [OID.emailProtection] }),
    );
    expect(emailOnly).toMatchObject({
      ok: false,
      code: 'BAD_KEY_USAGE',
      message: expect.stringContaining('not issued for client authentication'),
    });
  });

  it('UNTRUSTED_ISSUER: an issuer that is not a CA', async () => {
    const root = await issue('Root', null, { ca: {}, keyUsage: caUsage });
    const notCa = await issue('Not A CA', root, {
      keyUsage: ['digitalSignature'],
      policies: [OID.fpkiCommonAuthentication],
    });
    const result = await validate([root, notCa], await issue('USER.FOUR.4444444444', notCa, userExtras));
    expect(result).toMatchObject({
      ok: false,
      code: 'UNTRUSTED_ISSUER',
      message:
        '"CN=Not A CA, O=Constraint Test, C=US" issued a certificate in the card\'s path but is not a CA certificate (basicConstraints cA is not set).',
    });
  });

  it('UNTRUSTED_ISSUER: a CA below a CA whose path length is 0', async () => {
    const root = await issue('Root', null, { ca: {}, keyUsage: caUsage });
    const ca1 = await issue('CA 1', root, {
      ca: { pathLength: 0 },
      keyUsage: caUsage,
      policies: [OID.fpkiCommonAuthentication],
    });
    const ca2 = await issue('CA 2', ca1, { ca: {}, keyUsage: caUsage, policies: [OID.fpkiCommonAuthentication] });
    const result = await validate([root, ca1, ca2], await issue('USER.FIVE.5555555555', ca2, userExtras));
    expect(result).toMatchObject({
      ok: false,
      code: 'UNTRUSTED_ISSUER',
      message:
        'The CA "CN=CA 1, O=Constraint Test, C=US" allows at most 0 CA certificate(s) below it, and the card\'s path has 1.',
    });
  });

  it('WRONG_POLICY: an intermediate CA without certificate policies ends the policy tree (RFC 5280 6.1.3)', async () => {
    const root = await issue('Root', null, { ca: {}, keyUsage: caUsage });
    const ca = await issue('CA', root, { ca: {}, keyUsage: caUsage });
    const result = await validate([root, ca], await issue('USER.SIX.6666666666', ca, userExtras));
    expect(result).toMatchObject({
      ok: false,
      code: 'WRONG_POLICY',
      reason: 'not-accepted',
      message: expect.stringContaining('its issuing CAs do not allow that policy'),
    });
  });

  it('WRONG_POLICY: an intermediate that allows only other policies', async () => {
    const root = await issue('Root', null, { ca: {}, keyUsage: caUsage });
    const ca = await issue('CA', root, { ca: {}, keyUsage: caUsage, policies: [OID.fpkiCommonHardware] });
    expect(await validate([root, ca], await issue('USER.SEVEN.7777777777', ca, userExtras))).toMatchObject({
      ok: false,
      code: 'WRONG_POLICY',
      reason: 'not-accepted',
    });
  });
});
