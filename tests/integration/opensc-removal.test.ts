import { randomBytes, verify, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CardRemovedError,
  HandleInvalidError,
  PIV_KEY_ID,
  type Pkcs11Session,
  type PrivateKeyObject,
} from '../../native/pkcs11';
import type { PivCardIdentity } from '../support/fixtures/piv';
import { startOpenscCardRig, waitFor, type OpenscCardRig } from '../support/opensc-card';

// Pulling the card out of the reader and putting it (or another) back, through OpenSC: what the
// wrapper reports for the old session, its keys and the slot, and that a new session logs in.

let rig: OpenscCardRig;
let card: PivCardIdentity;
let session: Pkcs11Session;
let key: PrivateKeyObject;
/** A second session on the card, left open over the pull. */
let bystander: Pkcs11Session;

beforeAll(async () => {
  rig = await startOpenscCardRig();
  card = rig.fixture.cards['valid-rsa'];
});

afterAll(async () => {
  await rig?.close();
});

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('no error');
}

describe('a PIV card pulled and put back', () => {
  it('logs in on the inserted card', async () => {
    const inserted = performance.now();
    await rig.reader.insertCard(card);
    const powered = performance.now();
    session = rig.module.openSession(rig.token().handle);
    session.login(card.pin);
    const loggedIn = performance.now();
    key = session.privateKey(PIV_KEY_ID.authentication)!;
    bystander = rig.module.openSession(rig.token().handle);
    expect(key).toMatchObject({ type: 'rsa' });
    expect(session.loggedIn()).toBe(true);
    console.info(
      `[opensc-removal] card inserted → pcscd powered it ${(powered - inserted).toFixed(0)} ms; → token found and PIN verified ${(loggedIn - powered).toFixed(0)} ms`,
    );
  });

  it('reports the removal to the session poll (loggedIn) at once, and to every call on the old session', async () => {
    // Keep polling as an app does, until the card is pulled.
    session.loggedIn();
    const pulled = performance.now();
    await rig.reader.removeCard(); // resolves when pcscd has registered the removal
    const registered = performance.now();
    const seenMs = await waitFor(() => {
      try {
        session.loggedIn();
        return false;
      } catch (error) {
        if (!(error instanceof CardRemovedError)) throw error;
        return true;
      }
    }, 'the wrapper to see the removal');
    console.info(
      `[opensc-removal] card pulled → pcscd registered it ${(registered - pulled).toFixed(0)} ms; → the wrapper's loggedIn() threw CardRemovedError ${seenMs.toFixed(0)} ms later`,
    );
    expect(registered - pulled + seenMs).toBeLessThan(2_000);

    const poll = thrown(() => session.loggedIn());
    expect(poll).toBeInstanceOf(CardRemovedError);
    expect(['CKR_TOKEN_NOT_PRESENT', 'CKR_SESSION_HANDLE_INVALID', 'CKR_DEVICE_REMOVED']).toContain(
      (poll as CardRemovedError).ckr,
    );
    expect((poll as Error).message).toMatch(/card was removed/);
    expect(thrown(() => session.sign(key, randomBytes(32)))).toBeInstanceOf(CardRemovedError);
    expect(thrown(() => session.certificate(PIV_KEY_ID.authentication))).toBeInstanceOf(CardRemovedError);
    // The reader's slot stays, empty; the token and new sessions on it are refused as removed.
    const slot = rig.slot();
    expect(slot).toMatchObject({ tokenPresent: false, token: null });
    expect(thrown(() => rig.module.token(slot.handle))).toBeInstanceOf(CardRemovedError);
    expect(thrown(() => rig.module.openSession(slot.handle))).toBeInstanceOf(CardRemovedError);
    session.close(); // closing a session the card took with it is not an error
  });

  it('after re-insertion the old session stays dead, its keys are refused, and a new session logs in and signs', async () => {
    await rig.reader.insertCard();
    // The second session opened before the pull does not come back to life on the card.
    expect(thrown(() => bystander.loggedIn())).toBeInstanceOf(CardRemovedError);
    bystander.close();
    const fresh = rig.module.openSession(rig.token().handle);
    expect(fresh.loggedIn()).toBe(false);
    // A key found in the pulled card's login is refused, in any session.
    expect(thrown(() => fresh.sign(key, randomBytes(32)))).toBeInstanceOf(HandleInvalidError);
    const started = performance.now();
    fresh.login(card.pin);
    const loginMs = performance.now() - started;
    const again = fresh.privateKey(PIV_KEY_ID.authentication)!;
    const challenge = randomBytes(32);
    expect(
      verify(
        'sha256',
        challenge,
        new X509Certificate(card.keys.authentication.certificate).publicKey,
        fresh.sign(again, challenge),
      ),
    ).toBe(true);
    console.info(`[opensc-removal] login on the re-inserted card ${loginMs.toFixed(1)} ms`);
    fresh.close();
  });
});
