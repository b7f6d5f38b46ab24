import {
  constants,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  publicEncrypt,
  randomBytes,
  verify,
  X509Certificate,
} from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CardRemovedError,
  DecryptionFailedError,
  HandleInvalidError,
  keyManagementUnwrap,
  NotLoggedInError,
  PIV_KEY_ID,
  PinRequiredError,
  type Pkcs11Session,
  type PrivateKeyObject,
} from '../../native/pkcs11';
import { pkcs11js } from '../../native/pkcs11/pkcs11js';
import type { PivCardIdentity } from '../support/fixtures/piv';
import { startOpenscCardRig, type OpenscCardRig } from '../support/opensc-card';

// OpenSC's real opensc-pkcs11.so, through the wrapper, against the PIV card emulator behind pcscd
// and vpcd: the token, the four certificates, login, and every key doing what PIV does with it
// (9A sign, 9C sign after a context-specific login, 9D RSA decryption or ECDH, 9E without PIN).

let rig: OpenscCardRig;
const sessions: Pkcs11Session[] = [];

beforeAll(async () => {
  rig = await startOpenscCardRig();
});

afterAll(async () => {
  for (const session of sessions) session.close();
  await rig?.close();
});

function open(): Pkcs11Session {
  const session = rig.module.openSession(rig.token().handle);
  sessions.push(session);
  return session;
}

function loggedIn(identity: PivCardIdentity): Pkcs11Session {
  const session = open();
  session.login(identity.pin);
  return session;
}

function key(session: Pkcs11Session, id: number): PrivateKeyObject {
  const found = session.privateKey(id);
  if (!found) throw new Error(`no private key ${id}`);
  return found;
}

const publicKeyOf = (der: Buffer) => new X509Certificate(der).publicKey;
const GENERAL_AUTHENTICATE = 0x87;
const VERIFY = 0x20;

describe('an RSA-2048 PIV card (valid-rsa)', () => {
  let card: PivCardIdentity;
  beforeAll(() => {
    card = rig.fixture.cards['valid-rsa'];
  });

  it('shows an empty reader slot, then the card holder’s token once the card is in', async () => {
    expect(rig.slot()).toMatchObject({ tokenPresent: false, removable: true, token: null });
    await rig.reader.insertCard(card);
    const { token } = rig.token();
    // OpenSC names a PIV token after the 9A certificate's subject CN; its serial comes from the CHUID.
    expect(token).toMatchObject({
      label: card.commonName,
      manufacturer: 'piv_II',
      loginRequired: true,
      userPinInitialized: true,
      protectedAuthenticationPath: false,
    });
    expect(token.serialNumber).toMatch(/^[0-9a-f]{16}$/);
    expect(token.pin).toEqual({ countLow: false, finalTry: false, locked: false, toBeChanged: false });
  });

  it('reads the 9A, 9C, 9D and 9E certificates by CKA_ID 01 to 04, byte for byte, before any login', () => {
    const session = open();
    const expected = {
      1: card.keys.authentication,
      2: card.keys.signature,
      3: card.keys.keyManagement,
      4: card.keys.cardAuthentication,
    };
    for (const [id, material] of Object.entries(expected))
      expect(session.certificate(Number(id))?.der).toEqual(material?.certificate);
    expect(session.certificate(PIV_KEY_ID.authentication)?.label).toBe('Certificate for PIV Authentication');
    expect(
      session.publicKey(PIV_KEY_ID.authentication)?.equals(publicKeyOf(card.keys.authentication.certificate)),
    ).toBe(true);
    // Private keys behind the PIN stay hidden; the card-authentication key (9E, no PIN) does not.
    expect(session.privateKey(PIV_KEY_ID.authentication)).toBeNull();
    expect(session.privateKey(PIV_KEY_ID.cardAuthentication)).toMatchObject({
      type: 'ec',
      curve: 'P-256',
      canSign: true,
    });
  });

  it('logs in with the PIN and signs a challenge with 9A that the certificate verifies (PKCS#1 v1.5 and PSS)', async () => {
    const session = open();
    const started = performance.now();
    session.login(card.pin);
    const loginMs = performance.now() - started;
    expect(session.loggedIn()).toBe(true);
    const authentication = key(session, PIV_KEY_ID.authentication);
    expect(authentication).toMatchObject({ type: 'rsa', modulusBytes: 256, alwaysAuthenticate: false, canSign: true });
    const challenge = randomBytes(32);
    const signStarted = performance.now();
    const pkcs1 = session.sign(authentication, challenge);
    const signMs = performance.now() - signStarted;
    expect(verify('sha256', challenge, publicKeyOf(card.keys.authentication.certificate), pkcs1)).toBe(true);
    const pss = session.sign(authentication, challenge, { rsaPadding: 'pss', hash: 'sha384' });
    expect(
      verify(
        'sha384',
        challenge,
        {
          key: publicKeyOf(card.keys.authentication.certificate),
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: 48,
        },
        pss,
      ),
    ).toBe(true);
    // The card did the RSA: one GENERAL AUTHENTICATE with 9A for each signature.
    const state = await rig.reader.cardState();
    expect(state?.log.filter((e) => e.ins === GENERAL_AUTHENTICATE && e.p2 === 0x9a && e.sw === 0x9000)).toHaveLength(
      2,
    );
    console.info(`[opensc-piv] RSA login ${loginMs.toFixed(1)} ms, 9A PKCS#1 signature ${signMs.toFixed(1)} ms`);
  });

  it('signs with 9C only after C_Login(CKU_CONTEXT_SPECIFIC): the session login is not enough', async () => {
    const session = loggedIn(card);
    const signature = key(session, PIV_KEY_ID.signature);
    expect(signature).toMatchObject({ type: 'rsa', alwaysAuthenticate: true, canSign: true });
    const data = randomBytes(100);
    expect(() => session.sign(signature, data)).toThrow(PinRequiredError);

    // Without the context login OpenSC sends GENERAL AUTHENTICATE, the card refuses (6982:
    // security status not satisfied, PIN-always) and OpenSC reports CKR_USER_NOT_LOGGED_IN.
    const P = pkcs11js();
    const digestInfo = Buffer.concat([Buffer.from('3031300d060960864801650304020105000420', 'hex'), randomBytes(32)]);
    session.invoke('C_SignInit', (p, s) => p.C_SignInit(s, { mechanism: P.CKM_RSA_PKCS }, signature.handle));
    expect(() => session.invoke('C_Sign', (p, s) => p.C_Sign(s, digestInfo, Buffer.alloc(256)))).toThrow(
      NotLoggedInError,
    );
    const refused = (await rig.reader.cardState())?.log.filter((e) => e.ins === GENERAL_AUTHENTICATE && e.p2 === 0x9c);
    expect(refused?.at(-1)?.sw).toBe(0x6982);
    // OpenSC then drops the session's login (reset_login_state on CKR_USER_NOT_LOGGED_IN) and answers
    // a context login with CKR_OPERATION_NOT_INITIALIZED, which the wrapper reports as NotLoggedInError.
    expect(session.loggedIn()).toBe(false);
    expect(() => session.sign(signature, data, { pin: card.pin })).toThrow(NotLoggedInError);
    session.login(card.pin);

    // The wrapper's C_SignInit → C_Login(CKU_CONTEXT_SPECIFIC) → C_Sign, twice: the PIN each time.
    for (let i = 0; i < 2; i += 1) {
      const signed = session.sign(signature, data, { pin: card.pin });
      expect(verify('sha256', data, publicKeyOf(card.keys.signature.certificate), signed)).toBe(true);
    }
    // PIN-always on the card: each 9C signature came straight after its own VERIFY.
    const log = (await rig.reader.cardState())?.log ?? [];
    const signed = log
      .map((e, i) => ({ e, i }))
      .filter(({ e }) => e.ins === GENERAL_AUTHENTICATE && e.p2 === 0x9c && e.sw === 0x9000);
    expect(signed).toHaveLength(2);
    for (const { i } of signed) expect(log[i - 1]).toMatchObject({ ins: VERIFY, p1: 0x00, p2: 0x80, sw: 0x9000 });
  });

  it('unwraps with 9D: keyManagementUnwrap decrypts RSA-OAEP-SHA256 with a label, wrapped in Node', () => {
    const session = loggedIn(card);
    const unwrap = keyManagementUnwrap(session);
    const dataKey = randomBytes(32);
    const label = Buffer.from('enclave:database:1234');
    const material = card.keys.keyManagement;
    if (!material) throw new Error('valid-rsa has a 9D key');
    const wrapped = publicEncrypt(
      {
        key: publicKeyOf(material.certificate),
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: 'sha256',
        oaepLabel: label,
      },
      dataKey,
    );
    expect(unwrap.decryptRsaOaep(wrapped, label)).toEqual(dataKey);
    // The label binds the wrap: another label is one undifferentiated failure.
    expect(() => unwrap.decryptRsaOaep(wrapped, Buffer.from('enclave:database:other'))).toThrow(DecryptionFailedError);
    // A block the card refuses (not below its modulus; OpenSC: CKR_DATA_INVALID) is the same failure
    // as one the card decrypts to garbage: both are "not encrypted to this card".
    expect(() => unwrap.decryptRsaOaep(Buffer.alloc(256, 0xff), label)).toThrow(DecryptionFailedError);
    expect(() => unwrap.decryptRsaOaep(Buffer.alloc(256, 0x01), label)).toThrow(DecryptionFailedError);
  });
});

describe('a P-256/P-384 PIV card (valid-ecc) in the same reader', () => {
  let card: PivCardIdentity;
  beforeAll(async () => {
    card = rig.fixture.cards['valid-ecc'];
    await rig.reader.removeCard();
    await rig.reader.insertCard(card);
  });

  it('is the new card holder’s token', () => {
    expect(rig.token().token.label).toBe(card.commonName);
  });

  it('signs with 9A (ECDSA P-256, DER and raw) and with 9C (P-384) after the context login', () => {
    const session = loggedIn(card);
    const challenge = randomBytes(32);
    const authentication = key(session, PIV_KEY_ID.authentication);
    expect(authentication).toMatchObject({ type: 'ec', curve: 'P-256' });
    const der = session.sign(authentication, challenge);
    expect(verify('sha256', challenge, publicKeyOf(card.keys.authentication.certificate), der)).toBe(true);
    const raw = session.sign(authentication, challenge, { ecdsaEncoding: 'raw' });
    expect(raw).toHaveLength(64);
    expect(
      verify(
        'sha256',
        challenge,
        { key: publicKeyOf(card.keys.authentication.certificate), dsaEncoding: 'ieee-p1363' },
        raw,
      ),
    ).toBe(true);

    const signature = key(session, PIV_KEY_ID.signature);
    expect(signature).toMatchObject({ type: 'ec', curve: 'P-384', alwaysAuthenticate: true });
    const signed = session.sign(signature, challenge, { pin: card.pin, hash: 'sha384' });
    expect(verify('sha384', challenge, publicKeyOf(card.keys.signature.certificate), signed)).toBe(true);
  });

  it('derives with 9D the ECDH secret Node derives, and keyManagementUnwrap agrees', () => {
    const session = loggedIn(card);
    const material = card.keys.keyManagement;
    if (!material) throw new Error('valid-ecc has a 9D key');
    const ephemeral = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const expected = diffieHellman({
      privateKey: ephemeral.privateKey,
      publicKey: createPublicKey(publicKeyOf(material.certificate).export({ format: 'pem', type: 'spki' })),
    });
    const keyManagement = key(session, PIV_KEY_ID.keyManagement);
    expect(keyManagement).toMatchObject({ type: 'ec', curve: 'P-256', canDerive: true, canSign: false });
    expect(session.deriveEcdh(keyManagement, ephemeral.publicKey)).toEqual(expected);
    expect(keyManagementUnwrap(session).deriveEcdh(ephemeral.publicKey)).toEqual(expected);
  });

  it('closeAllSessions closes every session and ends the login; keys found before are refused', () => {
    const slot = rig.token().handle;
    const five = [0, 1, 2, 3, 4].map(() => open());
    five[0]!.login(card.pin);
    const before = key(five[1]!, PIV_KEY_ID.authentication);
    expect(five.every((s) => s.loggedIn())).toBe(true);
    // OpenSC 0.23's C_CloseAllSessions closes only every other session (the login lives on in the
    // rest); the wrapper closes each one it opened as well.
    rig.module.closeAllSessions(slot);
    for (const session of five) expect(() => session.loggedIn()).toThrow(CardRemovedError);
    const after = open();
    expect(after.loggedIn()).toBe(false);
    expect(after.privateKey(PIV_KEY_ID.authentication)).toBeNull();
    // OpenSC 0.23 sends a PIV card no logout (it stays verified until reset) and would still sign
    // with the old key handle here, without the PIN: the wrapper refuses keys from an ended login.
    expect(() => after.sign(before, randomBytes(32))).toThrow(HandleInvalidError);
  });

  it('refuses after logout a key found before it, and finds it again after a new login', () => {
    const session = loggedIn(card);
    const before = key(session, PIV_KEY_ID.authentication);
    session.logout();
    expect(session.loggedIn()).toBe(false);
    expect(() => session.sign(before, randomBytes(32))).toThrow(HandleInvalidError);
    session.login(card.pin);
    const challenge = randomBytes(32);
    expect(
      verify(
        'sha256',
        challenge,
        publicKeyOf(card.keys.authentication.certificate),
        session.sign(key(session, PIV_KEY_ID.authentication), challenge),
      ),
    ).toBe(true);
  });

  it('signs with the card-authentication key (9E) without any PIN', () => {
    rig.module.closeAllSessions(rig.token().handle);
    const session = open();
    expect(session.loggedIn()).toBe(false);
    expect(session.privateKey(PIV_KEY_ID.authentication)).toBeNull();
    const cardAuthentication = key(session, PIV_KEY_ID.cardAuthentication);
    const challenge = randomBytes(32);
    expect(
      verify(
        'sha256',
        challenge,
        publicKeyOf(card.keys.cardAuthentication.certificate),
        session.sign(cardAuthentication, challenge),
      ),
    ).toBe(true);
  });
});
