import {
  CardError,
  loadPkcs11Modules,
  presentTokens,
  type Pkcs11Module,
  type SlotDescription,
  type TokenDescription,
} from '../../../native/pkcs11';
import { LoginRefusal } from './login-refusal';

/** What the login screen shows before the PIN: is there a module, a card, which, and its PIN state. */
export interface CardInfo {
  label: string;
  serialNumber: string;
  model: string;
  pin: { countLow: boolean; finalTry: boolean; locked: boolean };
}

export type CardStatus =
  | { state: 'no-module'; message: string }
  | { state: 'no-card'; message: string }
  | { state: 'card-present'; cards: CardInfo[] };

export type PresentToken = { module: Pkcs11Module; slot: SlotDescription & { token: TokenDescription } };

/** Shown while the middleware cannot read the reader, even after it was initialised again. */
export const READER_TROUBLE =
  'The card reader stopped answering. Take the card out, wait a few seconds and insert it again. If this message stays, reconnect the reader or restart the workstation, and tell your administrator.';

/** Initialising the modules again costs tens of milliseconds (OpenSC); not more often than this. */
const REINITIALISE_EVERY_MS = 2_000;

/**
 * The site's PKCS#11 modules, loaded once per service worker (modules keep global state, and
 * C_Initialize/C_Finalize per poll would cost more than the poll). A module that fails to list its
 * slots (CKR_GENERAL_ERROR once a card was pulled the hard way, a reader service that restarted)
 * stays broken until it is initialised again: then it is finalized, loaded and asked once more.
 */
export class CardReaders {
  #modules: Pkcs11Module[] | null = null;
  #failures: string[] = [];
  #lastReinitialised = Number.NEGATIVE_INFINITY;
  /** Why the last look failed even after initialising again (for the service log); null when it worked. */
  #trouble: CardError | null = null;
  /** A look failed since a card was last seen: the modules are initialised again until one is. */
  #suspect = false;

  constructor(
    private readonly paths: () => readonly string[],
    private readonly log?: (line: string) => void,
  ) {}

  modules(): Pkcs11Module[] {
    if (!this.#modules) {
      const { modules, failures } = loadPkcs11Modules(this.paths());
      this.#modules = modules;
      this.#failures = failures.map((f) => f.error.message);
    }
    return this.#modules;
  }

  /** Initialized tokens only: SoftHSM (and some readers) show an empty, uninitialized token too. */
  tokens(): PresentToken[] {
    try {
      let tokens = this.#look();
      // After a failure some middleware (SoftHSM) sees a card put back only once initialised again.
      if (tokens.length === 0 && this.#suspect && this.#mayReinitialise()) {
        this.close();
        tokens = this.#look();
      }
      if (tokens.length > 0) this.#suspect = false;
      this.#trouble = null;
      return tokens;
    } catch (error) {
      if (!(error instanceof CardError)) throw error;
      // Every session on the old module ends with it: a session still unlocked locks (fail shut).
      this.#suspect = true;
      if (!this.#mayReinitialise()) throw this.#troubled(error);
      this.log?.(`card readers: ${error.message} Initialising the PKCS#11 modules again.`);
      this.close();
      try {
        return this.#look();
      } catch (again) {
        throw again instanceof CardError ? this.#troubled(again) : again;
      }
    }
  }

  /** At most every REINITIALISE_EVERY_MS; true when this call may do it (and counts as done). */
  #mayReinitialise(): boolean {
    if (performance.now() - this.#lastReinitialised < REINITIALISE_EVERY_MS) return false;
    this.#lastReinitialised = performance.now();
    return true;
  }

  #look(): PresentToken[] {
    return presentTokens(this.modules()).filter((t) => t.slot.token.initialized);
  }

  #troubled(error: CardError): LoginRefusal {
    this.#trouble = error;
    return new LoginRefusal('CARD_ERROR', READER_TROUBLE);
  }

  status(): CardStatus {
    if (this.modules().length === 0) {
      const why =
        this.#failures.length > 0
          ? ` ${this.#failures.join(' ')}`
          : ' None is configured (pkcs11Modules in the site configuration).';
      return { state: 'no-module', message: `No smart card middleware (PKCS#11 module) could be loaded.${why}` };
    }
    let tokens: PresentToken[];
    try {
      tokens = this.tokens();
    } catch (error) {
      // The schema's states are module, card, or none; a reader that cannot be read is the middleware's failing.
      if (error instanceof LoginRefusal && error.code === 'CARD_ERROR')
        return { state: 'no-module', message: error.message };
      throw error;
    }
    if (tokens.length === 0) return { state: 'no-card', message: 'Insert your CAC or PIV card.' };
    return {
      state: 'card-present',
      cards: tokens.map(({ slot: { token } }) => ({
        label: token.label,
        serialNumber: token.serialNumber,
        model: token.model,
        pin: { countLow: token.pin.countLow, finalTry: token.pin.finalTry, locked: token.pin.locked },
      })),
    };
  }

  /** The token to use: the one with this serial, or the only one present. */
  pick(serialNumber?: string): PresentToken {
    const status = this.status();
    if (status.state !== 'card-present')
      throw new LoginRefusal(
        status.state === 'no-card' ? 'NO_CARD' : this.#trouble ? 'CARD_ERROR' : 'NO_MODULE',
        status.message,
      );
    const tokens = this.tokens();
    if (serialNumber !== undefined) {
      const found = tokens.find((t) => t.slot.token.serialNumber === serialNumber);
      if (!found) throw new LoginRefusal('NO_CARD', 'That card is no longer in the reader. Insert it and try again.');
      return found;
    }
    if (tokens.length > 1)
      throw new LoginRefusal(
        'SEVERAL_CARDS',
        'Several cards are inserted: choose the one to sign in with, or remove the others.',
      );
    return tokens[0]!;
  }

  close(): void {
    for (const module of this.#modules ?? []) module.close();
    this.#modules = null;
  }
}
