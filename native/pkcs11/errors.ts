/**
 * PKCS#11 failures as typed errors with messages a user can act on. The PIN never appears in
 * any of them: messages are built here from the return code, never copied from arguments.
 */

/** The return codes we tell apart (PKCS#11 v2.40 values; the same on every module). */
export const CKR = {
  GENERAL_ERROR: 0x05,
  FUNCTION_FAILED: 0x06,
  ARGUMENTS_BAD: 0x07,
  SLOT_ID_INVALID: 0x03,
  ATTRIBUTE_SENSITIVE: 0x11,
  ATTRIBUTE_TYPE_INVALID: 0x12,
  DEVICE_ERROR: 0x30,
  DEVICE_MEMORY: 0x31,
  DEVICE_REMOVED: 0x32,
  DATA_INVALID: 0x20,
  DATA_LEN_RANGE: 0x21,
  ENCRYPTED_DATA_INVALID: 0x40,
  ENCRYPTED_DATA_LEN_RANGE: 0x41,
  KEY_HANDLE_INVALID: 0x60,
  KEY_TYPE_INCONSISTENT: 0x63,
  KEY_FUNCTION_NOT_PERMITTED: 0x68,
  MECHANISM_INVALID: 0x70,
  MECHANISM_PARAM_INVALID: 0x71,
  OBJECT_HANDLE_INVALID: 0x82,
  OPERATION_NOT_INITIALIZED: 0x91,
  PIN_INCORRECT: 0xa0,
  PIN_INVALID: 0xa1,
  PIN_LEN_RANGE: 0xa2,
  PIN_EXPIRED: 0xa3,
  PIN_LOCKED: 0xa4,
  SESSION_CLOSED: 0xb0,
  SESSION_HANDLE_INVALID: 0xb3,
  TOKEN_NOT_PRESENT: 0xe0,
  TOKEN_NOT_RECOGNIZED: 0xe1,
  USER_ALREADY_LOGGED_IN: 0x100,
  USER_NOT_LOGGED_IN: 0x101,
  USER_PIN_NOT_INITIALIZED: 0x102,
  CRYPTOKI_NOT_INITIALIZED: 0x190,
  CRYPTOKI_ALREADY_INITIALIZED: 0x191,
} as const;

const CKR_NAMES = new Map<number, string>(Object.entries(CKR).map(([name, code]) => [code, `CKR_${name}`]));

export function ckrName(code: number): string {
  return CKR_NAMES.get(code) ?? `CKR_0x${code.toString(16).padStart(8, '0')}`;
}

/** Base of every wrapper error: `code` is the PKCS#11 return value (0 when the wrapper itself refused). */
export class CardError extends Error {
  override name = 'CardError';
  constructor(
    message: string,
    readonly operation: string,
    readonly code = 0,
  ) {
    super(message);
  }
  get ckr(): string {
    return this.code === 0 ? '' : ckrName(this.code);
  }
}

/** What the token's flags say about the PIN, read right after a failed login. */
export interface PinState {
  countLow: boolean;
  finalTry: boolean;
  locked: boolean;
}

export class PinIncorrectError extends CardError {
  override name = 'PinIncorrectError';
  constructor(
    operation: string,
    readonly pinState: PinState | null,
  ) {
    const tries = pinState?.finalTry
      ? ' One try is left before the card locks.'
      : pinState?.countLow
        ? ' Few tries are left before the card locks.'
        : '';
    super(`The PIN is incorrect.${tries}`, operation, CKR.PIN_INCORRECT);
  }
}

export class PinLockedError extends CardError {
  override name = 'PinLockedError';
  constructor(operation: string, code: number = CKR.PIN_LOCKED) {
    super(
      'The PIN is locked after too many wrong tries. The card must be unblocked at a card office before it can be used.',
      operation,
      code,
    );
  }
}

/** CKR_PIN_LEN_RANGE or CKR_PIN_INVALID: the card refused the PIN's form before checking it. */
export class PinFormatError extends CardError {
  override name = 'PinFormatError';
  constructor(operation: string, code: number) {
    super('The PIN has the wrong length or characters for this card.', operation, code);
  }
}

export class PinExpiredError extends CardError {
  override name = 'PinExpiredError';
  constructor(operation: string) {
    super('The PIN has expired and must be changed at a card office.', operation, CKR.PIN_EXPIRED);
  }
}

/** The wrapper refused before calling the token: this key needs the PIN for each use. */
export class PinRequiredError extends CardError {
  override name = 'PinRequiredError';
  constructor(operation: string) {
    super('This key asks for the PIN at every use (CKA_ALWAYS_AUTHENTICATE): enter the PIN again.', operation);
  }
}

/**
 * The card (or its reader) is gone: CKR_DEVICE_REMOVED, CKR_TOKEN_NOT_PRESENT, CKR_SLOT_ID_INVALID,
 * or a session the module no longer knows (CKR_SESSION_HANDLE_INVALID / CKR_SESSION_CLOSED), which
 * is what a removed card looks like to a session opened before the removal.
 */
export class CardRemovedError extends CardError {
  override name = 'CardRemovedError';
  constructor(operation: string, code: number) {
    super(
      `The card was removed or its session ended (${ckrName(code)}). Insert the card and sign in again.`,
      operation,
      code,
    );
  }
}

/**
 * The module does not count the user as logged in: CKR_USER_NOT_LOGGED_IN, or (wrapper) OpenSC's
 * CKR_OPERATION_NOT_INITIALIZED for a context-specific login after it dropped the session login.
 */
export class NotLoggedInError extends CardError {
  override name = 'NotLoggedInError';
  constructor(operation: string, code: number = CKR.USER_NOT_LOGGED_IN) {
    super(`The card needs the PIN before this key can be used (${ckrName(code)}).`, operation, code);
  }
}

/** The module was finalized (by this process or another part of it) or never initialized. */
export class ModuleNotInitializedError extends CardError {
  override name = 'ModuleNotInitializedError';
  constructor(operation: string) {
    super(
      'The PKCS#11 module is not initialized (it was finalized). Reload the card module.',
      operation,
      CKR.CRYPTOKI_NOT_INITIALIZED,
    );
  }
}

/** A session or module object used after this process closed it: no call reached the module. */
export class SessionClosedError extends CardError {
  override name = 'SessionClosedError';
  constructor(operation: string, what: 'session' | 'module') {
    super(
      what === 'session'
        ? 'This card session was closed; open a new one.'
        : 'The PKCS#11 module was closed; load it again.',
      operation,
    );
  }
}

export class MechanismUnsupportedError extends CardError {
  override name = 'MechanismUnsupportedError';
  constructor(operation: string, what: string, code = 0) {
    super(`The card does not support ${what}${code ? ` (${ckrName(code)})` : ''}.`, operation, code);
  }
}

/** The key exists but cannot do this: wrong type, or its attributes forbid the operation. */
export class KeyNotUsableError extends CardError {
  override name = 'KeyNotUsableError';
  constructor(operation: string, why: string, code = 0) {
    super(`This key cannot be used here: ${why}${code ? ` (${ckrName(code)})` : ''}.`, operation, code);
  }
}

/** A key or object handle the token no longer knows: after logout, or on a different card. */
export class HandleInvalidError extends CardError {
  override name = 'HandleInvalidError';
  constructor(operation: string, code: number) {
    super(
      `This key or object is no longer available (${ckrName(code)}): the card logged out or was changed. Log in and look it up again.`,
      operation,
      code,
    );
  }
}

export class DecryptionFailedError extends CardError {
  override name = 'DecryptionFailedError';
  constructor(operation: string, code = 0) {
    super(
      'The card could not decrypt this data: it was not encrypted to this card, or it is damaged.',
      operation,
      code,
    );
  }
}

/** No object (or more than one) with the class and CKA_ID asked for. */
export class ObjectNotFoundError extends CardError {
  override name = 'ObjectNotFoundError';
  constructor(operation: string, what: string) {
    super(what, operation);
  }
}

export class DeviceError extends CardError {
  override name = 'DeviceError';
  constructor(operation: string, code: number) {
    super(`The card or its reader failed (${ckrName(code)}). Reinsert the card and try again.`, operation, code);
  }
}

/** pkcs11js throws Pkcs11Error with `code` set to the CK_RV; anything else is a NativeError or TypeError. */
function returnCode(error: unknown): number | null {
  if (
    error instanceof Error &&
    error.name === 'Pkcs11Error' &&
    typeof (error as { code?: unknown }).code === 'number'
  ) {
    return (error as unknown as { code: number }).code;
  }
  return null;
}

export function isReturnCode(error: unknown, ...codes: number[]): boolean {
  const code = returnCode(error);
  return code !== null && codes.includes(code);
}

/**
 * Maps what pkcs11js threw to a CardError. `pinState` is asked only after CKR_PIN_INCORRECT, so the
 * message can say when the token reports a last try or a lock.
 */
export function toCardError(error: unknown, operation: string, pinState?: () => PinState | null): CardError {
  if (error instanceof CardError) return error;
  const code = returnCode(error);
  if (code === null) {
    // Not a CK_RV (an argument pkcs11js refused): keep its text only where no PIN was an argument.
    const detail = operation.includes('Login')
      ? ((error as Error)?.name ?? 'error')
      : String((error as Error)?.message ?? error).split('\n')[0];
    return new CardError(`${operation} failed in the PKCS#11 module: ${detail}`, operation);
  }
  switch (code) {
    case CKR.PIN_INCORRECT: {
      const state = safely(pinState);
      return state?.locked ? new PinLockedError(operation, code) : new PinIncorrectError(operation, state);
    }
    case CKR.PIN_LOCKED:
      return new PinLockedError(operation);
    case CKR.PIN_INVALID:
    case CKR.PIN_LEN_RANGE:
      return new PinFormatError(operation, code);
    case CKR.PIN_EXPIRED:
      return new PinExpiredError(operation);
    case CKR.DEVICE_REMOVED:
    case CKR.TOKEN_NOT_PRESENT:
    case CKR.TOKEN_NOT_RECOGNIZED:
    case CKR.SLOT_ID_INVALID:
    case CKR.SESSION_HANDLE_INVALID:
    case CKR.SESSION_CLOSED:
      return new CardRemovedError(operation, code);
    case CKR.USER_NOT_LOGGED_IN:
      return new NotLoggedInError(operation);
    case CKR.CRYPTOKI_NOT_INITIALIZED:
      return new ModuleNotInitializedError(operation);
    case CKR.MECHANISM_INVALID:
    case CKR.MECHANISM_PARAM_INVALID:
      return new MechanismUnsupportedError(operation, 'this mechanism', code);
    case CKR.KEY_TYPE_INCONSISTENT:
    case CKR.KEY_FUNCTION_NOT_PERMITTED:
      return new KeyNotUsableError(operation, 'the token refused it', code);
    case CKR.KEY_HANDLE_INVALID:
    case CKR.OBJECT_HANDLE_INVALID:
      return new HandleInvalidError(operation, code);
    case CKR.ENCRYPTED_DATA_INVALID:
    case CKR.ENCRYPTED_DATA_LEN_RANGE:
      return new DecryptionFailedError(operation, code);
    // OpenSC reports a block the card refuses to decrypt (not below the modulus: not encrypted to
    // this key) as CKR_DATA_INVALID; for a signature or anything else it stays a plain CardError.
    case CKR.DATA_INVALID:
    case CKR.DATA_LEN_RANGE:
      return operation === 'C_Decrypt'
        ? new DecryptionFailedError(operation, code)
        : new CardError(`${operation} failed (${ckrName(code)}).`, operation, code);
    case CKR.DEVICE_ERROR:
    case CKR.DEVICE_MEMORY:
    case CKR.GENERAL_ERROR:
    case CKR.FUNCTION_FAILED:
      return new DeviceError(operation, code);
    default: {
      // pkcs11js names the code in its message ("CKR_…"); use that for codes not listed above.
      const named = /^CKR_[A-Z0-9_]+$/.exec((error as Error).message)?.[0] ?? ckrName(code);
      return new CardError(`${operation} failed (${named}).`, operation, code);
    }
  }
}

function safely<T>(read?: () => T): T | null {
  try {
    return read ? read() : null;
  } catch {
    return null;
  }
}
