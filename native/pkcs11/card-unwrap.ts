import type { KeyObject } from 'node:crypto';
import { KeyNotUsableError, ObjectNotFoundError } from './errors';
import { PIV_KEY_ID } from './piv';
import type { Pkcs11Session, PrivateKeyObject } from './session';

/**
 * What the store needs from a card to open a card key slot. Structurally the store's
 * `CardOperations` (electron/services/vault/keyslots.ts), declared here so native/ depends on
 * nothing above it.
 */
export interface CardUnwrap {
  decryptRsaOaep(ciphertext: Buffer, label: Buffer): Buffer;
  deriveEcdh(ephemeralPublicKey: KeyObject): Buffer;
}

/**
 * Card unwrap with the key-management key (PIV 9D, CKA_ID 03) of a logged-in session. The store
 * calls whichever method its slot's algorithm needs; both go through the same private key.
 */
export function keyManagementUnwrap(
  session: Pkcs11Session,
  id: number | Buffer = PIV_KEY_ID.keyManagement,
): CardUnwrap {
  const key = session.privateKey(id);
  if (!key) {
    throw new ObjectNotFoundError(
      'findKeyManagementKey',
      'This card has no key-management key (PIV 9D, CKA_ID 03), so it cannot unlock the database. Use a card that has a key-management certificate, or the recovery secret.',
    );
  }
  // The PIN is not kept for later, so a key that asks for it at every use cannot serve here.
  if (key.alwaysAuthenticate)
    throw new KeyNotUsableError('findKeyManagementKey', 'the key-management key asks for the PIN at every use');
  return unwrapWith(session, key);
}

function unwrapWith(session: Pkcs11Session, key: PrivateKeyObject): CardUnwrap {
  return {
    decryptRsaOaep: (ciphertext, label) => session.decryptRsaOaep(key, ciphertext, label),
    deriveEcdh: (ephemeralPublicKey) => session.deriveEcdh(key, ephemeralPublicKey),
  };
}
