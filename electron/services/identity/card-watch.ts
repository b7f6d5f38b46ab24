import { CardError, CardRemovedError, type Pkcs11Module, type Pkcs11Session } from '../../../native/pkcs11';

/**
 * Watches the card of an unlocked session. Neither SoftHSM nor many middlewares deliver slot
 * events, so the slot is polled: the token must still be there with the same serial, and the
 * session must still be logged in (C_GetSessionInfo). A removed card shows as CardRemovedError
 * (CKR_DEVICE_REMOVED, CKR_TOKEN_NOT_PRESENT, CKR_SESSION_HANDLE_INVALID…); any other failure of
 * the poll also counts as gone, because a lock screen that fails open is worse than one that fails shut.
 */
export interface WatchedCard {
  module: Pkcs11Module;
  slot: Buffer;
  serialNumber: string;
  session: Pkcs11Session;
}

/** Null while the card is present and logged in; otherwise why it is not. */
export function cardGone(card: WatchedCard): string | null {
  try {
    const token = card.module.token(card.slot);
    if (token.serialNumber !== card.serialNumber) return 'another card is in the reader';
    if (!card.session.loggedIn()) return 'the card’s login ended';
    return null;
  } catch (error) {
    if (error instanceof CardRemovedError) return `the card was removed (${error.ckr})`;
    if (error instanceof CardError) return `the card stopped answering (${error.ckr || error.name})`;
    return 'the card could not be checked';
  }
}

/** The clock and timer the session uses; tests inject a manual one to reach the idle timeout at once. */
export interface SessionClock {
  now(): number;
  /** Runs `tick` every `ms` until the returned function is called. */
  every(ms: number, tick: () => void): () => void;
}

export const systemClock: SessionClock = {
  now: () => Date.now(),
  every(ms, tick) {
    const timer = setInterval(tick, ms);
    // The poll must not keep a worker (or a test process) alive on its own.
    timer.unref();
    return () => clearInterval(timer);
  },
};
