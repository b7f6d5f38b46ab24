import { execFileSync } from 'node:child_process';
import { constants, randomBytes, verify, X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HandleInvalidError,
  NotLoggedInError,
  PIV_KEY_ID,
  PinFormatError,
  PinIncorrectError,
  PinRequiredError,
  Pkcs11Module,
  type Pkcs11Session,
  type PrivateKeyObject,
} from '../../native/pkcs11';
import {
  OID,
  PIV_LABELS,
  PIV_VARIANTS,
  provisionPivFixture,
  slotOf,
  type PivFixture,
  type PivUser,
} from '../support/fixtures/piv';

// The PKCS#11 wrapper against real SoftHSM2 tokens provisioned for this run: enumeration, PIV
// objects by CKA_ID, login, wrong PIN, and signatures verified with the certificate's public key.

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

function open(user: PivUser): Pkcs11Session {
  const session = module.openSession(slotOf(module, user));
  sessions.push(session);
  return session;
}

function loggedIn(user: PivUser): Pkcs11Session {
  const session = open(user);
  session.login(user.pin);
  return session;
}

function requireKey(session: Pkcs11Session, id: number): PrivateKeyObject {
  const key = session.privateKey(id);
  if (!key) throw new Error(`no private key ${id}`);
  return key;
}

function policiesOf(der: Buffer): string[] {
  const certificate = pkijs.Certificate.fromBER(der);
  const extension = certificate.extensions?.find((e) => e.extnID === OID.certificatePolicies);
  return (
    (extension?.parsedValue as pkijs.CertificatePolicies | undefined)?.certificatePolicies.map(
      (p) => p.policyIdentifier,
    ) ?? []
  );
}

describe('SoftHSM2 PIV tokens through the wrapper', () => {
  it('enumerates one present, initialized, login-required token per variant', () => {
    expect(module.info.manufacturer).toMatch(/SoftHSM/);
    const tokens = module.slots().filter((slot) => slot.token?.initialized);
    expect(tokens.map((slot) => slot.token?.label).sort()).toEqual(
      PIV_VARIANTS.map((v) => fixture.users[v].tokenLabel).sort(),
    );
    for (const slot of tokens) {
      expect(slot.tokenPresent).toBe(true);
      expect(slot.token).toMatchObject({ loginRequired: true, userPinInitialized: true, pin: { locked: false } });
    }
    // SoftHSM always offers one more, uninitialized token for the next C_InitToken.
    expect(module.slots().some((slot) => slot.tokenPresent && slot.token?.initialized === false)).toBe(true);
    expect(fixture.elapsedMs).toBeLessThan(30_000);
  });

  it('finds the PIV Authentication certificate by CKA_ID 01 and reads subject, EDIPI, policy and UPN', () => {
    const user = fixture.users['valid-rsa'];
    const session = open(user);
    const certificate = session.certificate(PIV_KEY_ID.authentication);
    expect(certificate?.der).toEqual(user.certificates.authentication);
    expect(certificate?.label).toBe(PIV_LABELS[1].certificate);
    const x509 = new X509Certificate(certificate?.der ?? Buffer.alloc(0));
    const commonName = /^CN=(.+)$/m.exec(x509.subject)?.[1] ?? '';
    expect(commonName).toBe('DOE.JOHN.Q.1234567890');
    expect(commonName.split('.').at(-1)).toMatch(/^\d{10}$/);
    expect(commonName.split('.').at(-1)).toBe(user.edipi);
    expect(x509.subjectAltName).toContain(`othername:UPN:${user.edipi}@mil`);
    expect(x509.subjectAltName).toContain(`URI:urn:uuid:${user.uuid}`);
    expect(policiesOf(certificate?.der ?? Buffer.alloc(0))).toEqual([OID.fpkiCommonAuthentication]);
    expect(policiesOf(fixture.users['card-auth-only'].certificates.authentication)).toEqual([OID.fpkiCommonCardAuth]);
    // The token's public key object matches the certificate.
    expect(session.publicKey(PIV_KEY_ID.authentication)?.equals(x509.publicKey)).toBe(true);
    expect(session.certificate(0x04)).toBeNull();
  });

  it('hides private keys until login, then logs in with the right PIN', () => {
    const user = fixture.users['valid-ecc'];
    const session = open(user);
    expect(session.loggedIn()).toBe(false);
    expect(session.privateKey(PIV_KEY_ID.authentication)).toBeNull();
    session.login(user.pin);
    expect(session.loggedIn()).toBe(true);
    expect(session.privateKey(PIV_KEY_ID.authentication)).toMatchObject({
      type: 'ec',
      curve: 'P-256',
      canSign: true,
      alwaysAuthenticate: false,
      label: PIV_LABELS[1].key,
    });
    expect(session.privateKey(PIV_KEY_ID.signature)).toMatchObject({
      type: 'ec',
      curve: 'P-384',
      alwaysAuthenticate: true,
    });
    expect(session.privateKey(PIV_KEY_ID.keyManagement)).toMatchObject({
      type: 'ec',
      curve: 'P-256',
      canDerive: true,
      canSign: false,
    });
    // Logging in again re-checks the PIN rather than trusting the earlier login.
    expect(() => session.login(`${user.pin}0`)).toThrow(PinIncorrectError);
    session.login(user.pin);
    expect(session.loggedIn()).toBe(true);
  });

  it('refuses a wrong PIN with PinIncorrectError whose message and details hold no PIN', () => {
    const user = fixture.users['valid-rsa'];
    const wrong = String((Number(user.pin) + 1) % 100_000_000).padStart(8, '0');
    const session = open(user);
    let caught: unknown;
    try {
      session.login(wrong);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PinIncorrectError);
    const error = caught as PinIncorrectError;
    expect(error.message).toMatch(/^The PIN is incorrect\./);
    expect(error.ckr).toBe('CKR_PIN_INCORRECT');
    const everything = `${error.message}\n${error.stack}\n${inspect(error)}\n${JSON.stringify(error)}`;
    expect(everything).not.toContain(wrong);
    expect(everything).not.toContain(user.pin);
    expect(session.loggedIn()).toBe(false);
    expect(() => session.login('')).toThrow(PinFormatError);
  });

  it('signs a random challenge with 9A that the certificate verifies (RSA PKCS#1 v1.5 and PSS, ECDSA DER and raw)', () => {
    const challenge = randomBytes(32);
    const rsaUser = fixture.users['valid-rsa'];
    const rsaSession = loggedIn(rsaUser);
    const rsaKey = requireKey(rsaSession, PIV_KEY_ID.authentication);
    expect(rsaKey).toMatchObject({ type: 'rsa', modulusBytes: 256 });
    const rsaCert = new X509Certificate(rsaUser.certificates.authentication);
    const pkcs1 = rsaSession.sign(rsaKey, challenge);
    expect(verify('sha256', challenge, rsaCert.publicKey, pkcs1)).toBe(true);
    const pss = rsaSession.sign(rsaKey, challenge, { rsaPadding: 'pss' });
    expect(
      verify(
        'sha256',
        challenge,
        { key: rsaCert.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
        pss,
      ),
    ).toBe(true);
    expect(verify('sha256', randomBytes(32), rsaCert.publicKey, pkcs1)).toBe(false);

    const ecUser = fixture.users['valid-ecc'];
    const ecSession = loggedIn(ecUser);
    const ecKey = requireKey(ecSession, PIV_KEY_ID.authentication);
    const ecCert = new X509Certificate(ecUser.certificates.authentication);
    const der = ecSession.sign(ecKey, challenge);
    expect(der[0]).toBe(0x30);
    expect(verify('sha256', challenge, ecCert.publicKey, der)).toBe(true);
    const raw = ecSession.sign(ecKey, challenge, { ecdsaEncoding: 'raw' });
    expect(raw).toHaveLength(64);
    expect(verify('sha256', challenge, { key: ecCert.publicKey, dsaEncoding: 'ieee-p1363' }, raw)).toBe(true);
  });

  it('drops the private keys at logout: an old handle is refused and a new lookup finds nothing', () => {
    const user = fixture.users['valid-rsa'];
    const session = loggedIn(user);
    const key = requireKey(session, PIV_KEY_ID.authentication);
    session.logout();
    expect(() => session.sign(key, randomBytes(32))).toThrow(HandleInvalidError);
    expect(session.privateKey(PIV_KEY_ID.authentication)).toBeNull();
  });
});

describe('the always-authenticate Digital Signature key (9C)', () => {
  it('is marked CKA_ALWAYS_AUTHENTICATE and signs only with the PIN given to the sign call', () => {
    const user = fixture.users['valid-rsa'];
    const session = loggedIn(user);
    const key = requireKey(session, PIV_KEY_ID.signature);
    expect(key).toMatchObject({ alwaysAuthenticate: true, label: PIV_LABELS[2].key });
    const data = randomBytes(100);
    // Refused before any call reaches the token.
    expect(() => session.sign(key, data)).toThrow(PinRequiredError);
    const signature = session.sign(key, data, { pin: user.pin });
    expect(verify('sha256', data, new X509Certificate(user.certificates.signature).publicKey, signature)).toBe(true);
  });

  it('needs the context-specific login: the session login alone does not let the token sign', () => {
    const user = fixture.users['valid-rsa'];
    const session = loggedIn(user);
    const key = requireKey(session, PIV_KEY_ID.signature);
    const CKM_SHA256_RSA_PKCS = 0x40; // PKCS#11 v2.40
    // The raw sequence without C_Login(CKU_CONTEXT_SPECIFIC): SoftHSM answers CKR_USER_NOT_LOGGED_IN.
    session.invoke('C_SignInit', (p, s) => p.C_SignInit(s, { mechanism: CKM_SHA256_RSA_PKCS }, key.handle));
    expect(() => session.invoke('C_Sign', (p, s) => p.C_Sign(s, Buffer.from('data'), Buffer.alloc(512)))).toThrow(
      NotLoggedInError,
    );
    // The wrapper's sequence works in the same session straight after.
    expect(session.sign(key, Buffer.from('data'), { pin: user.pin })).toHaveLength(256);
  });

  it('reports a wrong context PIN and leaves no half-done operation behind', () => {
    const user = fixture.users['valid-ecc'];
    const session = loggedIn(user);
    const key = requireKey(session, PIV_KEY_ID.signature);
    const data = randomBytes(64);
    let caught: unknown;
    try {
      session.sign(key, data, { pin: '00000000', hash: 'sha384' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PinIncorrectError);
    expect(String((caught as Error).message)).not.toContain('00000000');
    const signature = session.sign(key, data, { pin: user.pin, hash: 'sha384' });
    expect(verify('sha384', data, new X509Certificate(user.certificates.signature).publicKey, signature)).toBe(true);
  });
});

/** `openssl verify` of a certificate (DER) against the fixture's PKI: "OK" or OpenSSL's reason. */
function opensslVerify(der: Buffer, name: string, args: string[]): string {
  const pki = join(fixture.dir, 'pki');
  const file = join(fixture.dir, `${name}.pem`);
  writeFileSync(file, new X509Certificate(der).toString());
  try {
    execFileSync('openssl', ['verify', ...args.map((a) => (a.endsWith('.pem') ? join(pki, a) : a)), file], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return 'OK';
  } catch (error) {
    const output = `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`;
    return /error \d+ at \d+ depth lookup: (.+)/.exec(output)?.[1] ?? output;
  }
}

// The variants as OpenSSL (an independent validator) sees the certificates read from the tokens,
// with both CRLs and the PIV Authentication policy required, as the identity layer will check.
describe('the provisioned variants, validated by OpenSSL', () => {
  const strict = [
    '-CAfile',
    'root-ca.pem',
    '-untrusted',
    'intermediate-ca.pem',
    '-crl_check_all',
    '-CRLfile',
    'root.crl.pem',
    '-CRLfile',
    'intermediate.crl.pem',
    '-policy',
    OID.fpkiCommonAuthentication,
    '-explicit_policy',
  ];
  const expected = {
    'valid-rsa': 'OK',
    'valid-ecc': 'OK',
    'no-key-management': 'OK',
    expired: 'certificate has expired',
    revoked: 'certificate revoked',
    untrusted: 'unable to get local issuer certificate',
    'card-auth-only': 'no explicit policy',
  } as const;

  it.each(Object.entries(expected))('%s: %s', (variant, outcome) => {
    const user = fixture.users[variant as keyof typeof expected];
    const session = open(user);
    const der = session.certificate(PIV_KEY_ID.authentication)?.der ?? Buffer.alloc(0);
    expect(opensslVerify(der, variant, strict)).toBe(outcome);
    session.close();
  });

  it('the untrusted user chains to its own root; the card-auth user passes without the policy requirement', () => {
    expect(
      opensslVerify(fixture.users.untrusted.certificates.authentication, 'untrusted-own', [
        '-CAfile',
        'untrusted-root-ca.pem',
      ]),
    ).toBe('OK');
    expect(
      opensslVerify(fixture.users['card-auth-only'].certificates.authentication, 'card-auth', strict.slice(0, -3)),
    ).toBe('OK');
  });

  it('a CRL past its nextUpdate fails a check that would otherwise pass', () => {
    const stale = strict.map((a) => (a === 'intermediate.crl.pem' ? 'intermediate-stale.crl.pem' : a));
    expect(opensslVerify(fixture.users['valid-rsa'].certificates.authentication, 'stale', stale)).toBe(
      'CRL has expired',
    );
  });

  it('the 9C and 9D certificates chain and carry the hardware policy and their key usages', () => {
    for (const user of [fixture.users['valid-rsa'], fixture.users['valid-ecc']]) {
      for (const der of [user.certificates.signature, user.certificates.keyManagement ?? Buffer.alloc(0)]) {
        expect(opensslVerify(der, `other-${user.variant}`, strict.slice(0, -3))).toBe('OK');
        expect(policiesOf(der)).toEqual([OID.fpkiCommonHardware]);
      }
    }
    const text = (der: Buffer) =>
      execFileSync('openssl', ['x509', '-inform', 'der', '-noout', '-ext', 'keyUsage'], {
        input: der,
        encoding: 'utf8',
      });
    expect(text(fixture.users['valid-rsa'].certificates.keyManagement ?? Buffer.alloc(0))).toContain(
      'Key Encipherment',
    );
    expect(text(fixture.users['valid-ecc'].certificates.keyManagement ?? Buffer.alloc(0))).toContain('Key Agreement');
    expect(text(fixture.users['valid-rsa'].certificates.signature)).toContain('Non Repudiation');
  });
});
