import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PinIncorrectError, PinLockedError, type Pkcs11Session } from '../../native/pkcs11';
import type { PivCardIdentity } from '../support/fixtures/piv';
import { startOpenscCardRig, type OpenscCardRig } from '../support/opensc-card';

// The PIV PIN retry counter through OpenSC: wrong PINs, the token's PIN flags as OpenSC reports
// them, and the lock after the card's tries (3 here), which the right PIN cannot lift.

let rig: OpenscCardRig;
let card: PivCardIdentity;

beforeAll(async () => {
  rig = await startOpenscCardRig();
  // A valid holder the workstation never enrolled: its card is free to be locked.
  card = rig.fixture.cards.unenrolled;
  await rig.reader.insertCard(card, { pinTries: 3 });
});

afterAll(async () => {
  await rig?.close();
});

/** Another well-formed 8-digit PIN. */
const wrongPin = (pin: string, n = 1) => String((Number(pin) + n) % 100_000_000).padStart(8, '0');
const VERIFY = 0x20;

function failedLogin(session: Pkcs11Session, pin: string): unknown {
  try {
    session.login(pin);
  } catch (error) {
    return error;
  }
  throw new Error('the login succeeded');
}

describe('wrong PINs on a PIV card through OpenSC', () => {
  it('counts down on the card; the token shows the final try (OpenSC reports no count-low for PIV); the right PIN resets the card', async () => {
    const session = rig.module.openSession(rig.token().handle);
    const first = failedLogin(session, wrongPin(card.pin));
    expect(first).toBeInstanceOf(PinIncorrectError);
    // Two tries left: OpenSC knows no maximum for a PIV PIN, so it cannot say "count low".
    expect((first as PinIncorrectError).pinState).toMatchObject({ countLow: false, finalTry: false, locked: false });
    expect((first as Error).message).toBe('The PIN is incorrect.');
    expect((await rig.reader.cardState())?.triesLeft).toBe(2);
    expect(rig.token().token.pin).toMatchObject({ countLow: false, finalTry: false, locked: false });

    const second = failedLogin(session, wrongPin(card.pin, 2));
    expect(second).toBeInstanceOf(PinIncorrectError);
    expect((second as PinIncorrectError).pinState).toMatchObject({ finalTry: true, locked: false });
    expect((second as Error).message).toMatch(/One try is left before the card locks/);
    expect(rig.token().token.pin).toMatchObject({ finalTry: true, locked: false });
    expect((await rig.reader.cardState())?.triesLeft).toBe(1);

    // No PIN, right or wrong, in anything the errors or the reader's logs carry.
    const everything =
      [first, second].map((e) => `${(e as Error).message}\n${(e as Error).stack}\n${inspect(e)}`).join('\n') +
      rig.reader.log();
    for (const pin of [card.pin, wrongPin(card.pin), wrongPin(card.pin, 2)]) expect(everything).not.toContain(pin);

    session.login(card.pin);
    expect(session.loggedIn()).toBe(true);
    expect((await rig.reader.cardState())?.triesLeft).toBe(3);
    // OpenSC keeps the last count while the card answers "verified" (a PIV card gives no count
    // then), so the final-try flag outlives the good login until the card is reset or reinserted.
    expect(rig.token().token.pin).toMatchObject({ finalTry: true, locked: false });
    session.logout();
    session.close();
    await rig.reader.removeCard();
    await rig.reader.insertCard();
    expect(rig.token().token.pin).toMatchObject({ countLow: false, finalTry: false, locked: false });
  });

  it('locks after the third wrong PIN; then the right PIN is refused as locked, and the card does not check it', async () => {
    const session = rig.module.openSession(rig.token().handle);
    expect(failedLogin(session, wrongPin(card.pin, 3))).toBeInstanceOf(PinIncorrectError);
    expect(failedLogin(session, wrongPin(card.pin, 4))).toBeInstanceOf(PinIncorrectError);
    // The card answers the third 63C0; OpenSC returns CKR_PIN_INCORRECT and the token now says
    // locked, so the wrapper reports the lock.
    const third = failedLogin(session, wrongPin(card.pin, 5));
    expect(third).toBeInstanceOf(PinLockedError);
    expect(rig.token().token.pin).toMatchObject({ locked: true, finalTry: false });
    expect((await rig.reader.cardState())?.triesLeft).toBe(0);

    const before = (await rig.reader.cardState())?.log.length ?? 0;
    const refused = failedLogin(session, card.pin);
    expect(refused).toBeInstanceOf(PinLockedError);
    expect((refused as PinLockedError).ckr).toBe('CKR_PIN_LOCKED');
    expect((refused as Error).message).toMatch(/locked .* card office/);
    expect(session.loggedIn()).toBe(false);
    // One VERIFY with the PIN reached the card, which answered "blocked" (6983) without comparing
    // it: the counter stays at 0, and nothing retried the login.
    const state = await rig.reader.cardState();
    const verifies = (state?.log ?? []).slice(before).filter((e) => e.ins === VERIFY && e.p1 === 0x00);
    expect(verifies.filter((e) => e.sw === 0x6983).length).toBeGreaterThanOrEqual(1);
    expect(verifies.every((e) => e.sw === 0x6983)).toBe(true);
    expect(state?.triesLeft).toBe(0);
    expect(state?.verified).toBe(false);
    session.close();
  });

  it('stays locked when the card comes back (the counter is card memory)', async () => {
    await rig.reader.removeCard();
    await rig.reader.insertCard();
    expect(rig.token().token.pin).toMatchObject({ locked: true });
    const session = rig.module.openSession(rig.token().handle);
    expect(failedLogin(session, card.pin)).toBeInstanceOf(PinLockedError);
    session.close();
  });
});
