import type { LOGIN_REFUSAL_CODES } from '../../../common/ipc/contract';
import type { IdentityStatus, LoginRefused } from '../../state/login-state';

type RefusalCode = (typeof LOGIN_REFUSAL_CODES)[number];

/** Each refusal reason in plain words; the service's own message follows it with what to do. */
const HEADLINES: Record<RefusalCode, string> = {
  NO_MODULE: 'No smart card software is available on this workstation.',
  NO_CARD: 'No card is inserted.',
  SEVERAL_CARDS: 'Several cards are inserted.',
  CARD_REMOVED: 'The card was removed while signing in.',
  CARD_ERROR: 'The card did not answer.',
  WRONG_PIN: 'Wrong PIN.',
  PIN_LOCKED: 'The card’s PIN is locked.',
  PIN_FORMAT: 'That is not a valid PIN for this card.',
  PIN_EXPIRED: 'The card’s PIN has expired.',
  EXPIRED: 'The card’s certificate has expired.',
  NOT_YET_VALID: 'The card’s certificate is not valid yet.',
  REVOKED: 'This card has been revoked.',
  UNTRUSTED_ISSUER: 'This card was issued by an authority this workstation does not trust.',
  BAD_SIGNATURE: 'The card’s certificate does not verify.',
  WRONG_POLICY: 'This card’s certificate cannot be used to sign in.',
  BAD_KEY_USAGE: 'The card’s certificate is not meant for signing in.',
  MALFORMED: 'The card’s certificate cannot be read.',
  CRL_MISSING: 'Revocation of this card cannot be checked.',
  CRL_TOO_OLD: 'Revocation of this card cannot be checked: the revocation list is out of date.',
  KEY_MISMATCH: 'The card does not hold the key of its certificate.',
  NO_KEY_MANAGEMENT: 'This card cannot unlock the workstation’s data.',
  NOT_ENROLLED: 'This card is not enrolled on this workstation.',
  USER_DISABLED: 'Your account is disabled on this workstation.',
  NO_STORE: 'This workstation has not been set up yet.',
  STORE_ERROR: 'The workstation’s data could not be opened.',
  ALREADY_UNLOCKED: 'The workstation is already unlocked.',
};

export function refusalHeadline(refusal: LoginRefused): string {
  return HEADLINES[refusal.reason];
}

/** The PIN notes that matter after a wrong PIN: one try left, or the card now locked. */
export function pinNote(refusal: LoginRefused): string | null {
  if (refusal.pin?.locked) return 'The card is now locked: it must be unblocked at a card office (RAPIDS/ID office).';
  if (refusal.pin?.finalTry) return 'One try is left: a further wrong PIN locks the card.';
  return null;
}

type LastLock = NonNullable<IdentityStatus['lastLock']>;

export function lockReason(lock: LastLock): string {
  if (lock.reason === 'removal') return 'The card was removed.';
  if (lock.reason === 'idle') return 'Locked after a period without activity.';
  return 'Locked by the user.';
}
