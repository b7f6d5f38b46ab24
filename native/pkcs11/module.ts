import { existsSync } from 'node:fs';
import { nativeCallEnded, nativeCallStarted } from './call-clock';
import {
  CardError,
  CardRemovedError,
  CKR,
  isReturnCode,
  SessionClosedError,
  toCardError,
  type PinState,
} from './errors';
import { handleId, pkcs11js, trimPadded, type NativePkcs11 } from './pkcs11js';
import { Pkcs11Session } from './session';
import { endLogin, sessionsOn } from './session-registry';

/** Slot and token flag bits (PKCS#11 v2.40). */
const CKF_TOKEN_PRESENT = 0x1;
const CKF_REMOVABLE_DEVICE = 0x2;
const CKF_HW_SLOT = 0x4;
const CKF_LOGIN_REQUIRED = 0x4;
const CKF_USER_PIN_INITIALIZED = 0x8;
const CKF_PROTECTED_AUTHENTICATION_PATH = 0x100;
const CKF_TOKEN_INITIALIZED = 0x400;
const CKF_USER_PIN_COUNT_LOW = 0x10000;
const CKF_USER_PIN_FINAL_TRY = 0x20000;
const CKF_USER_PIN_LOCKED = 0x40000;
const CKF_USER_PIN_TO_BE_CHANGED = 0x80000;

export interface TokenDescription {
  label: string;
  manufacturer: string;
  model: string;
  serialNumber: string;
  loginRequired: boolean;
  userPinInitialized: boolean;
  /** A PIN pad on the reader: C_Login is called without a PIN. */
  protectedAuthenticationPath: boolean;
  initialized: boolean;
  pin: PinState & { toBeChanged: boolean };
  minPinLength: number;
  maxPinLength: number;
}

export interface SlotDescription {
  /** The slot handle to pass back to this module (opaque). */
  handle: Buffer;
  /** The slot id as a decimal string, for display and equality. */
  id: string;
  description: string;
  manufacturer: string;
  tokenPresent: boolean;
  removable: boolean;
  hardware: boolean;
  /** Null when no token is present (or it went away while being read). */
  token: TokenDescription | null;
}

export interface ModuleDescription {
  manufacturer: string;
  description: string;
  cryptokiVersion: string;
  libraryVersion: string;
}

/**
 * One loaded PKCS#11 module (OpenSC's opensc-pkcs11.so at a site; SoftHSM2 in tests). Every call
 * into the native module goes through `invoke`, which refuses once the module is closed and turns
 * return codes into CardErrors. Synchronous by design: it runs in the service worker, not on the
 * Electron main thread. Load a given module path once per process: modules keep global state.
 */
export class Pkcs11Module {
  #native: NativePkcs11 | null;
  /** False when something else in this process had already initialized the library. */
  readonly #ownsInitialization: boolean;
  readonly info: ModuleDescription;

  private constructor(
    readonly path: string,
    native: NativePkcs11,
    ownsInitialization: boolean,
  ) {
    this.#native = native;
    this.#ownsInitialization = ownsInitialization;
    const info = this.invoke('C_GetInfo', (p) => p.C_GetInfo());
    this.info = {
      manufacturer: trimPadded(info.manufacturerID),
      description: trimPadded(info.libraryDescription),
      cryptokiVersion: `${info.cryptokiVersion.major}.${info.cryptokiVersion.minor}`,
      libraryVersion: `${info.libraryVersion.major}.${info.libraryVersion.minor}`,
    };
  }

  /** Loads and initializes a module. Throws CardError naming the path when it cannot. */
  static load(path: string): Pkcs11Module {
    if (!existsSync(path)) throw new CardError(`The PKCS#11 module ${path} does not exist.`, 'load');
    const { PKCS11 } = pkcs11js();
    const native = new PKCS11();
    try {
      native.load(path);
    } catch (error) {
      throw new CardError(
        `The PKCS#11 module ${path} did not load: ${String((error as Error).message).split('\n')[0]}`,
        'load',
      );
    }
    let owns = true;
    try {
      native.C_Initialize();
    } catch (error) {
      if (!isReturnCode(error, CKR.CRYPTOKI_ALREADY_INITIALIZED)) {
        native.close();
        throw toCardError(error, 'C_Initialize');
      }
      owns = false;
    }
    return new Pkcs11Module(path, native, owns);
  }

  get closed(): boolean {
    return this.#native === null;
  }

  /** Runs one native call: refuses after close(), maps failures to CardErrors. */
  invoke<T>(operation: string, call: (native: NativePkcs11) => T, pinState?: () => PinState | null): T {
    const native = this.#native;
    if (!native) throw new SessionClosedError(operation, 'module');
    nativeCallStarted();
    try {
      return call(native);
    } catch (error) {
      throw toCardError(error, operation, pinState);
    } finally {
      nativeCallEnded();
    }
  }

  /** Every slot, with its token when one is present. */
  slots(): SlotDescription[] {
    return this.invoke('C_GetSlotList', (p) => p.C_GetSlotList(false)).map((handle) => {
      const info = this.invoke('C_GetSlotInfo', (p) => p.C_GetSlotInfo(handle));
      const tokenPresent = (info.flags & CKF_TOKEN_PRESENT) !== 0;
      let token: TokenDescription | null = null;
      if (tokenPresent) {
        try {
          token = this.token(handle);
        } catch (error) {
          if (!(error instanceof CardRemovedError)) throw error;
        }
      }
      return {
        handle,
        id: handleId(handle),
        description: trimPadded(info.slotDescription),
        manufacturer: trimPadded(info.manufacturerID),
        tokenPresent: token !== null,
        removable: (info.flags & CKF_REMOVABLE_DEVICE) !== 0,
        hardware: (info.flags & CKF_HW_SLOT) !== 0,
        token,
      };
    });
  }

  /** The token in a slot; CardRemovedError when there is none. */
  token(slot: Buffer): TokenDescription {
    const info = this.invoke('C_GetTokenInfo', (p) => p.C_GetTokenInfo(slot));
    const has = (flag: number) => (info.flags & flag) !== 0;
    return {
      label: trimPadded(info.label),
      manufacturer: trimPadded(info.manufacturerID),
      model: trimPadded(info.model),
      serialNumber: trimPadded(info.serialNumber),
      loginRequired: has(CKF_LOGIN_REQUIRED),
      userPinInitialized: has(CKF_USER_PIN_INITIALIZED),
      protectedAuthenticationPath: has(CKF_PROTECTED_AUTHENTICATION_PATH),
      initialized: has(CKF_TOKEN_INITIALIZED),
      pin: {
        countLow: has(CKF_USER_PIN_COUNT_LOW),
        finalTry: has(CKF_USER_PIN_FINAL_TRY),
        locked: has(CKF_USER_PIN_LOCKED),
        toBeChanged: has(CKF_USER_PIN_TO_BE_CHANGED),
      },
      minPinLength: info.minPinLen,
      maxPinLength: info.maxPinLen,
    };
  }

  /** A mechanism's flags (CKF_SIGN, CKF_DECRYPT, …) on a slot's token, or null when it is not offered. */
  mechanismFlags(slot: Buffer, mechanism: number): number | null {
    const offered = this.invoke('C_GetMechanismList', (p) => p.C_GetMechanismList(slot));
    if (!offered.includes(mechanism)) return null;
    return this.invoke('C_GetMechanismInfo', (p) => p.C_GetMechanismInfo(slot, mechanism)).flags;
  }

  /**
   * A read-only session (all the login needs; ECDH's derived key is a session object), or a
   * read-write one where a token object is to be created (an update officer's key generation).
   */
  openSession(slot: Buffer, options: { readWrite?: boolean } = {}): Pkcs11Session {
    const { CKF_SERIAL_SESSION, CKF_RW_SESSION } = pkcs11js();
    const flags = CKF_SERIAL_SESSION | (options.readWrite ? CKF_RW_SESSION : 0);
    const handle = this.invoke('C_OpenSession', (p) => p.C_OpenSession(slot, flags));
    return new Pkcs11Session(this, slot, handle);
  }

  /**
   * Closes every session on a slot, which also ends its login (the lock screen's reset). OpenSC
   * 0.23's C_CloseAllSessions leaves every other session open (and logged in), so each session this
   * process opened on the slot is then closed on its own and retired: OpenSC reuses handle values,
   * so a retired session object never reaches the module again (it reports CardRemovedError, as a
   * session the module dropped does). Private keys found before are refused from then on.
   */
  closeAllSessions(slot: Buffer): void {
    this.invoke('C_CloseAllSessions', (p) => p.C_CloseAllSessions(slot));
    for (const session of sessionsOn(this.path, handleId(slot))) session.retire();
    endLogin(this.path, handleId(slot));
  }

  /** Finalizes (when this object initialized the library) and unloads. Safe to call twice. */
  close(): void {
    const native = this.#native;
    if (!native) return;
    this.#native = null;
    try {
      if (this.#ownsInitialization) native.C_Finalize();
    } catch {
      // Already finalized elsewhere: unloading is still right.
    } finally {
      native.close();
    }
  }
}

export interface ModuleLoadFailure {
  path: string;
  error: CardError;
}

/** Loads each configured module; one that fails is reported, not fatal (sites list several). */
export function loadPkcs11Modules(paths: readonly string[]): {
  modules: Pkcs11Module[];
  failures: ModuleLoadFailure[];
} {
  const modules: Pkcs11Module[] = [];
  const failures: ModuleLoadFailure[] = [];
  for (const path of paths) {
    try {
      modules.push(Pkcs11Module.load(path));
    } catch (error) {
      failures.push({ path, error: error instanceof CardError ? error : new CardError(String(error), 'load') });
    }
  }
  return { modules, failures };
}

/** Every present token across modules, in module order then slot order. */
export function presentTokens(
  modules: readonly Pkcs11Module[],
): { module: Pkcs11Module; slot: SlotDescription & { token: TokenDescription } }[] {
  return modules.flatMap((module) =>
    module
      .slots()
      .filter((slot): slot is SlotDescription & { token: TokenDescription } => slot.token !== null)
      .map((slot) => ({ module, slot })),
  );
}
