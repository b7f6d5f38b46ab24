import {
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  randomBytes,
  randomUUID,
  verify,
  X509Certificate,
} from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CardRemovedError,
  DecryptionFailedError,
  keyManagementUnwrap,
  KeyNotUsableError,
  ModuleNotInitializedError,
  ObjectNotFoundError,
  PIV_KEY_ID,
  Pkcs11Module,
  SessionClosedError,
  type Pkcs11Session,
} from '../../native/pkcs11';
import { StoreFile } from '../../electron/services/vault/store-file';
import { StoreError } from '../../electron/db/store-error';
import { createCardSlot, openCardSlot, type CardOperations } from '../../electron/services/vault/keyslots';
import { provisionPivFixture, slotOf, type PivFixture, type PivUser } from '../support/fixtures/piv';
import { createTempStore } from '../support/store';

// The store's card key slots opened by real SoftHSM2 cards: RSA-OAEP (raw RSA on the token, OAEP
// in the wrapper) and ECDH (CKM_ECDH1_DERIVE), the wrong card refused, the missing 9D key named;
// then what a session turns into after its card session, or the whole module, goes away.

let fixture: PivFixture;
let module: Pkcs11Module;

beforeAll(async () => {
  fixture = await provisionPivFixture();
  module = Pkcs11Module.load(fixture.modulePath);
});

afterAll(() => {
  module?.close();
  fixture?.cleanup();
});

function loggedIn(user: PivUser): Pkcs11Session {
  const session = module.openSession(slotOf(module, user));
  session.login(user.pin);
  return session;
}

function keyManagementSpki(user: PivUser): Buffer {
  const der = user.certificates.keyManagement;
  if (!der) throw new Error(`${user.variant} has no key-management certificate`);
  return new X509Certificate(der).publicKey.export({ format: 'der', type: 'spki' });
}

describe('card key slots opened with the key-management key (9D)', () => {
  it('RSA: createCardSlot to the 9D certificate, openCardSlot with the card gives the data key back', () => {
    const user = fixture.users['valid-rsa'];
    const dataKey = randomBytes(32);
    const databaseId = randomUUID();
    const slot = createCardSlot(dataKey, databaseId, 'card-doe', user.edipi, keyManagementSpki(user));
    expect(slot.algorithm).toBe('RSA-OAEP-256');
    const session = loggedIn(user);
    const operations: CardOperations = keyManagementUnwrap(session);
    expect(openCardSlot(slot, databaseId, operations)).toEqual(dataKey);
    // The OAEP label binds the slot to its database: the same card cannot open it for another.
    expect(openCardSlot(slot, randomUUID(), operations)).toBeNull();
    session.close();
  });

  it('ECDH: createCardSlot to the P-256 9D certificate, the card derives the same secret and unwraps', () => {
    const user = fixture.users['valid-ecc'];
    const dataKey = randomBytes(32);
    const databaseId = randomUUID();
    const slot = createCardSlot(dataKey, databaseId, 'card-roe', user.edipi, keyManagementSpki(user));
    expect(slot.algorithm).toBe('ECDH-ES-A256GCM');
    const session = loggedIn(user);
    expect(openCardSlot(slot, databaseId, keyManagementUnwrap(session))).toEqual(dataKey);

    // The derived value is exactly Node's ECDH shared secret (the X coordinate, no KDF).
    const ephemeral = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const key = session.privateKey(PIV_KEY_ID.keyManagement);
    if (!key) throw new Error('no 9D key');
    const expected = diffieHellman({
      privateKey: ephemeral.privateKey,
      publicKey: createPublicKey({ key: keyManagementSpki(user), format: 'der', type: 'spki' }),
    });
    expect(session.deriveEcdh(key, ephemeral.publicKey)).toEqual(expected);
    // A P-384 peer on a P-256 key is refused before the token is asked.
    expect(() => session.deriveEcdh(key, generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey)).toThrow(
      KeyNotUsableError,
    );
    session.close();
  });

  it("another user's card cannot open the slot (RSA to RSA, EC to EC, and across key types)", () => {
    const databaseId = randomUUID();
    const dataKey = randomBytes(32);
    const rsaSlot = createCardSlot(
      dataKey,
      databaseId,
      'card-rsa',
      'doe',
      keyManagementSpki(fixture.users['valid-rsa']),
    );
    const ecSlot = createCardSlot(dataKey, databaseId, 'card-ec', 'roe', keyManagementSpki(fixture.users['valid-ecc']));
    const otherRsa = loggedIn(fixture.users.expired);
    const otherEc = loggedIn(fixture.users.untrusted);
    expect(otherRsa.privateKey(PIV_KEY_ID.keyManagement)?.type).toBe('rsa');
    expect(otherEc.privateKey(PIV_KEY_ID.keyManagement)?.type).toBe('ec');
    for (const [slot, session] of [
      [rsaSlot, otherRsa],
      [ecSlot, otherEc],
      [rsaSlot, otherEc],
      [ecSlot, otherRsa],
    ] as const) {
      expect(openCardSlot(slot, databaseId, keyManagementUnwrap(session))).toBeNull();
    }
    // Directly: the other RSA card's raw decryption does not decode as OAEP.
    const key = otherRsa.privateKey(PIV_KEY_ID.keyManagement);
    if (!key) throw new Error('no 9D key');
    expect(() => otherRsa.decryptRsaOaep(key, Buffer.from(rsaSlot.wrapped, 'base64'), Buffer.from('label'))).toThrow(
      DecryptionFailedError,
    );
    otherRsa.close();
    otherEc.close();
  });

  it('a block at or above the card key\'s modulus is "not this card", never a card failure', () => {
    // Encrypted to a larger modulus, a wrapped key is above this card's modulus about half the
    // time; SoftHSM2 answers that with CKR_GENERAL_ERROR, which must not read as a broken card.
    const session = loggedIn(fixture.users.expired);
    const key = session.privateKey(PIV_KEY_ID.keyManagement);
    if (!key?.modulus) throw new Error('no 9D key with its modulus');
    const k = key.modulus.length;
    for (const block of [Buffer.from(key.modulus), Buffer.alloc(k, 0xff)]) {
      expect(() => session.decryptRsaOaep(key, block, Buffer.alloc(0))).toThrow(DecryptionFailedError);
    }
    const slot = {
      ...createCardSlot(
        randomBytes(32),
        randomUUID(),
        'card-high',
        'doe',
        keyManagementSpki(fixture.users['valid-rsa']),
      ),
      wrapped: Buffer.alloc(k, 0xff).toString('base64'),
    };
    expect(openCardSlot(slot, randomUUID(), keyManagementUnwrap(session))).toBeNull();
    // The same session still works: nothing was sent to the token that could upset it.
    const auth = session.privateKey(PIV_KEY_ID.authentication);
    const authCertificate = session.certificate(PIV_KEY_ID.authentication);
    if (!auth || !authCertificate) throw new Error('no 9A key');
    const signature = session.sign(auth, Buffer.from('still here'));
    expect(
      verify('sha256', Buffer.from('still here'), new X509Certificate(authCertificate.der).publicKey, signature),
    ).toBe(true);
    session.close();
  });

  it('unlocks a real encrypted store with the card, and refuses a card without a slot', () => {
    const temp = createTempStore();
    try {
      const user = fixture.users['valid-rsa'];
      temp.store.addCardSlot('card-doe', user.edipi, keyManagementSpki(user), 'test-admin');
      temp.store.close();
      const session = loggedIn(user);
      const reopened = StoreFile.open(temp.path, {
        card: { slotId: 'card-doe', operations: keyManagementUnwrap(session) },
      });
      expect(reopened.slots.map((s) => s.id)).toContain('card-doe');
      reopened.close();
      const stranger = loggedIn(fixture.users['valid-ecc']);
      expect(() =>
        StoreFile.open(temp.path, { card: { slotId: 'card-doe', operations: keyManagementUnwrap(stranger) } }),
      ).toThrow(StoreError);
      session.close();
      stranger.close();
    } finally {
      temp.cleanup();
    }
  });

  it('says clearly that a card without a key-management key cannot unlock the database', () => {
    const user = fixture.users['no-key-management'];
    const session = loggedIn(user);
    expect(session.certificate(PIV_KEY_ID.keyManagement)).toBeNull();
    expect(session.privateKey(PIV_KEY_ID.keyManagement)).toBeNull();
    expect(session.certificate(PIV_KEY_ID.authentication)).not.toBeNull();
    expect(() => keyManagementUnwrap(session)).toThrow(ObjectNotFoundError);
    expect(() => keyManagementUnwrap(session)).toThrow(/no key-management key \(PIV 9D, CKA_ID 03\)/);
    session.close();
  });

  it('refuses keys that cannot unwrap: the 9A signing-only key and the always-authenticate 9C key', () => {
    const user = fixture.users['valid-rsa'];
    const session = loggedIn(user);
    const auth = session.privateKey(PIV_KEY_ID.authentication);
    if (!auth) throw new Error('no 9A key');
    expect(() => session.decryptRsaOaep(auth, randomBytes(256), Buffer.alloc(0))).toThrow(/CKA_DECRYPT is false/);
    expect(() => keyManagementUnwrap(session, PIV_KEY_ID.signature)).toThrow(/PIN at every use/);
    session.close();
  });
});

describe('sessions that outlive their card session or their module', () => {
  it('a session used after close() is refused without calling the module', () => {
    const user = fixture.users['valid-rsa'];
    const session = loggedIn(user);
    session.close();
    expect(session.closed).toBe(true);
    expect(() => session.certificate(PIV_KEY_ID.authentication)).toThrow(SessionClosedError);
    expect(() => session.login(user.pin)).toThrow(/session was closed/);
    session.close(); // twice is harmless
  });

  it('a session whose handle the module dropped (C_CloseAllSessions) reports the card as removed', () => {
    const user = fixture.users['valid-ecc'];
    const session = loggedIn(user);
    const key = session.privateKey(PIV_KEY_ID.authentication);
    if (!key) throw new Error('no 9A key');
    module.closeAllSessions(slotOf(module, user));
    let caught: unknown;
    try {
      session.sign(key, randomBytes(32));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CardRemovedError);
    expect((caught as CardRemovedError).ckr).toBe('CKR_SESSION_HANDLE_INVALID');
    expect((caught as Error).message).toMatch(/card was removed or its session ended/);
    expect(() => session.loggedIn()).toThrow(CardRemovedError);
    session.close(); // closing a session the module already dropped is not an error
  });

  it('a card pulled during an unwrap is reported as removed, not as the wrong card', () => {
    const user = fixture.users['valid-ecc'];
    const slot = createCardSlot(randomBytes(32), randomUUID(), 'card-ec', 'roe', keyManagementSpki(user));
    const session = loggedIn(user);
    module.closeAllSessions(slotOf(module, user));
    expect(() => openCardSlot(slot, randomUUID(), keyManagementUnwrap(session))).toThrow(CardRemovedError);
    session.close();
  });

  it('after C_Finalize by someone else in the process, calls report the module as not initialized', () => {
    const user = fixture.users['valid-rsa'];
    const session = loggedIn(user);
    // Another pkcs11js instance on the same library finalizes it under the wrapper's feet.
    const { PKCS11 } = createRequire(import.meta.url)('pkcs11js') as typeof import('pkcs11js');
    const other = new PKCS11();
    other.load(fixture.modulePath);
    other.C_Finalize();
    other.close();
    expect(() => session.certificate(PIV_KEY_ID.authentication)).toThrow(ModuleNotInitializedError);
    expect(() => module.slots()).toThrow(/not initialized \(it was finalized\)/);
  });

  it('after the module is closed, its sessions are refused without touching the unloaded library', () => {
    const user = fixture.users['valid-rsa'];
    const fresh = Pkcs11Module.load(fixture.modulePath);
    const session = fresh.openSession(slotOf(fresh, user));
    fresh.close();
    expect(fresh.closed).toBe(true);
    expect(session.closed).toBe(true);
    expect(() => session.login(user.pin)).toThrow(SessionClosedError);
    expect(() => fresh.slots()).toThrow(/module was closed/);
    fresh.close(); // twice is harmless
  });
});
