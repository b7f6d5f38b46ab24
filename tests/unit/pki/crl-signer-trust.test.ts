import { describe, expect, it } from 'vitest';
import { parseCrl } from '../../../electron/services/pki/crl';
import { validateCertificatePath } from '../../../electron/services/pki/validate-path';
import { parseCertificateDer } from '../../../electron/services/pki/x509';
import {
  distinguishedName,
  generateKeyPair,
  issueCertificate,
  issueCrl,
  OID,
  serialOf,
  type Issued,
} from '../../support/fixtures/piv/pki';

// Who may sign the CRL that clears a certificate. A certificate whose subject is its CA's own name
// (self-issued) and whose key may sign CRLs must not be able to publish a newer CRL that leaves
// itself out: only a key of its CA, in the path or validated to the same anchor, speaks for it.

const DAY = 86_400_000;
const now = Date.now();
const P256 = { type: 'ec', curve: 'P-256' } as const;
const name = (cn: string) =>
  distinguishedName([
    [OID.countryName, 'US'],
    [OID.organizationName, 'Signer Test'],
    [OID.commonName, cn],
  ]);

async function issue(
  cn: string,
  issuer: Issued | null,
  ca: boolean,
  keyUsage: Parameters<typeof issueCertificate>[0]['keyUsage'],
) {
  return issueCertificate({
    subject: name(cn),
    key: await generateKeyPair(P256),
    issuer,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 365 * DAY),
    keyUsage,
    ...(ca ? { ca: {} } : {}),
  });
}

const crl = (issuer: Issued, number: number, revoked: Issued[]) =>
  issueCrl({
    issuer,
    thisUpdate: new Date(now - 60_000),
    nextUpdate: new Date(now + 7 * DAY),
    number,
    revoked: revoked.map((r) => ({ serialNumber: serialOf(r), date: new Date(now - 30_000) })),
  });

describe('CRL signers', () => {
  it('refuses a revoked self-issued certificate even when its own key signs a newer CRL that omits it', async () => {
    const root = await issue('Root', null, true, ['keyCertSign', 'cRLSign']);
    const ca = await issue('Issuing CA', root, true, ['keyCertSign', 'cRLSign']);
    // Named like its CA, and allowed to sign CRLs: it could otherwise vouch for itself.
    const rogue = await issue('Issuing CA', ca, false, ['digitalSignature', 'cRLSign']);
    const revokedByCa = await crl(ca, 1, [rogue]);
    const selfServing = await crl(rogue, 2, []);

    const result = await validateCertificatePath({
      target: parseCertificateDer(rogue.der),
      intermediates: [parseCertificateDer(ca.der)],
      anchors: [parseCertificateDer(root.der)],
      crls: [revokedByCa, selfServing, await crl(root, 1, [])].map((der) => parseCrl(der)),
      at: new Date(now),
    });
    expect(result).toMatchObject({ ok: false, code: 'REVOKED', index: 0 });
  });

  it('accepts a CRL signed by the CA in the path, and clears the certificate it does not list', async () => {
    const root = await issue('Root', null, true, ['keyCertSign', 'cRLSign']);
    const ca = await issue('Issuing CA', root, true, ['keyCertSign', 'cRLSign']);
    const user = await issue('User', ca, false, ['digitalSignature']);
    const result = await validateCertificatePath({
      target: parseCertificateDer(user.der),
      intermediates: [parseCertificateDer(ca.der)],
      anchors: [parseCertificateDer(root.der)],
      crls: [await crl(ca, 1, []), await crl(root, 1, [])].map((der) => parseCrl(der)),
      at: new Date(now),
    });
    expect(result).toMatchObject({ ok: true });
  });

  it('keeps a revocation that a newer CRL of the same CA leaves out (revocation is permanent)', async () => {
    const root = await issue('Root', null, true, ['keyCertSign', 'cRLSign']);
    const ca = await issue('Issuing CA', root, true, ['keyCertSign', 'cRLSign']);
    const user = await issue('User', ca, false, ['digitalSignature']);
    const result = await validateCertificatePath({
      target: parseCertificateDer(user.der),
      intermediates: [parseCertificateDer(ca.der)],
      anchors: [parseCertificateDer(root.der)],
      crls: [await crl(ca, 1, [user]), await crl(ca, 2, []), await crl(root, 1, [])].map((der) => parseCrl(der)),
      at: new Date(now),
    });
    expect(result).toMatchObject({ ok: false, code: 'REVOKED', revocationReason: 'key compromise' });
  });
});
