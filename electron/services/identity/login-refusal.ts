import type { LOGIN_REFUSAL_CODES } from '../../../common/ipc/contract';
import {
  CardError,
  CardRemovedError,
  PinExpiredError,
  PinFormatError,
  PinIncorrectError,
  PinLockedError,
} from '../../../native/pkcs11';
import type { ValidationFailure } from './results';

/**
 * Why a login was refused: a code the UI and the audit log key on, and a message an analyst can act
 * on. Built from return codes and validation results only, so no PIN can ever end up in one.
 */
export type RefusalCode = (typeof LOGIN_REFUSAL_CODES)[number];

export interface PinFlags {
  finalTry: boolean;
  locked: boolean;
}

export class LoginRefusal extends Error {
  override name = 'LoginRefusal';
  constructor(
    readonly code: RefusalCode,
    message: string,
    readonly pin: PinFlags | null = null,
  ) {
    super(message);
  }
}

/** A card failure during login, as a refusal. The wrapper's messages already say final try / locked. */
export function refusalFromCard(error: unknown): LoginRefusal | null {
  if (!(error instanceof CardError)) return null;
  if (error instanceof PinIncorrectError) {
    const state = error.pinState;
    return new LoginRefusal('WRONG_PIN', error.message, {
      finalTry: state?.finalTry ?? false,
      locked: state?.locked ?? false,
    });
  }
  if (error instanceof PinLockedError)
    return new LoginRefusal('PIN_LOCKED', error.message, { finalTry: false, locked: true });
  if (error instanceof PinFormatError) return new LoginRefusal('PIN_FORMAT', error.message);
  if (error instanceof PinExpiredError) return new LoginRefusal('PIN_EXPIRED', error.message);
  if (error instanceof CardRemovedError) return new LoginRefusal('CARD_REMOVED', error.message);
  return new LoginRefusal('CARD_ERROR', error.message);
}

export function refusalFromValidation(failure: ValidationFailure): LoginRefusal {
  return new LoginRefusal(failure.code, failure.message);
}

export const NOT_ENROLLED =
  'This card is not enrolled on this workstation. An administrator must enroll it before it can sign in.';
