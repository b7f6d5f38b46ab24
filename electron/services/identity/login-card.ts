import {
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

/**
 * The site's PKCS#11 modules, loaded once per service worker (modules keep global state, and
 * C_Initialize/C_Finalize per poll would cost more than the poll).
 */
export class CardReaders {
  #modules: Pkcs11Module[] | null = null;
  #failures: string[] = [];

  constructor(private readonly paths: () => readonly string[]) {}

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
    return presentTokens(this.modules()).filter((t) => t.slot.token.initialized);
  }

  status(): CardStatus {
    if (this.modules().length === 0) {
      const why =
        this.#failures.length > 0
          ? ` ${this.#failures.join(' ')}`
          : ' None is configured (pkcs11Modules in the site configuration).';
      return { state: 'no-module', message: `No smart card middleware (PKCS#11 module) could be loaded.${why}` };
    }
    const tokens = this.tokens();
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
      throw new LoginRefusal(status.state === 'no-module' ? 'NO_MODULE' : 'NO_CARD', status.message);
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
