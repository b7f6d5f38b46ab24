import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentitySettingsSchema } from '../../common/site/site-config';
import { proveCardHoldsKey, validateAuthenticationCertificate } from '../../electron/services/identity';
import { PIV_KEY_ID, Pkcs11Module, type Pkcs11Session } from '../../native/pkcs11';
import { provisionPivFixture, slotOf, type PivFixture, type PivVariant } from '../support/fixtures/piv';

// Challenge-response with the card's 9A key on real SoftHSM2 tokens: a fresh random challenge signed
// on the card and verified with the certificate's public key (RSA PKCS#1 v1.5 and ECDSA).

let fixture: PivFixture;
let module: Pkcs11Module;
const sessions: Pkcs11Session[] = [];

beforeAll(async () => {
  fixture = await provisionPivFixture();
  module = Pkcs11Module.load(fixture.modulePath);
});
afterAll(() => {
  for (const session of sessions) session.close();
  module?.close();
  fixture?.cleanup();
});

function open(variant: PivVariant, pin?: string): Pkcs11Session {
  const session = module.openSession(slotOf(module, fixture.users[variant]));
  sessions.push(session);
  if (pin) session.login(pin);
  return session;
}

const loggedIn = (variant: PivVariant) => open(variant, fixture.users[variant].pin);

describe('card challenge-response (9A key against the 9A certificate)', () => {
  it.each(['valid-rsa', 'valid-ecc'] as const)(
    '%s: the card proves it holds the key of its validated certificate',
    async (variant) => {
      const session = loggedIn(variant);
      const certificate = session.certificate(PIV_KEY_ID.authentication)!.der;
      const validation = await validateAuthenticationCertificate({
        certificate,
        intermediates: [fixture.intermediateCa],
        trustAnchors: [fixture.rootCa],
        crls: [fixture.crl, fixture.rootCrl],
        settings: IdentitySettingsSchema.parse({}),
      });
      expect(validation.ok).toBe(true);
      expect(proveCardHoldsKey(session, certificate)).toEqual({ ok: true });
    },
  );

  it('fails with KEY_MISMATCH when the card is given another user’s certificate of another key type', () => {
    const result = proveCardHoldsKey(loggedIn('valid-rsa'), fixture.users['valid-ecc'].certificates.authentication);
    expect(result).toEqual({
      ok: false,
      code: 'KEY_MISMATCH',
      message: expect.stringMatching(/^The card’s PIV Authentication key does not match its certificate/),
    });
  });

  it('fails with KEY_MISMATCH when the other certificate has the same key type (the signature does not verify)', () => {
    // valid-ecc and revoked both hold P-256 9A keys: the card signs, and verification fails.
    expect(proveCardHoldsKey(loggedIn('valid-ecc'), fixture.users.revoked.certificates.authentication)).toMatchObject({
      ok: false,
      code: 'KEY_MISMATCH',
    });
    expect(
      proveCardHoldsKey(loggedIn('revoked'), fixture.users['valid-ecc'].certificates.authentication),
    ).toMatchObject({ ok: false, code: 'KEY_MISMATCH' });
  });

  it('uses a fresh challenge each time: two proofs with the same card both verify', () => {
    const session = loggedIn('valid-ecc');
    const certificate = fixture.users['valid-ecc'].certificates.authentication;
    expect([proveCardHoldsKey(session, certificate), proveCardHoldsKey(session, certificate)]).toEqual([
      { ok: true },
      { ok: true },
    ]);
  });

  it('reports NO_KEY when the card is not logged in (the private key is not visible)', () => {
    // Login state is per token, shared by its sessions: use a card no other test here logs in to.
    expect(
      proveCardHoldsKey(open('no-key-management'), fixture.users['no-key-management'].certificates.authentication),
    ).toMatchObject({ ok: false, code: 'NO_KEY' });
  });
});
