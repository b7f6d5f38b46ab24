import { randomBytes, verify, X509Certificate } from 'node:crypto';
import { PIV_KEY_ID, type Pkcs11Session } from '../../../native/pkcs11';

/**
 * Proof that the card holds the private key of the certificate it presented: it signs a fresh
 * 32-byte random challenge with its 9A key, and the signature is verified with the certificate's
 * public key. Without this, a copied certificate (they are public) would be as good as the card.
 * Card errors (PIN needed, card removed) are thrown as the wrapper's CardError for the login flow.
 */
export type ChallengeResult = { ok: true } | { ok: false; code: 'NO_KEY' | 'KEY_MISMATCH'; message: string };

const MISMATCH =
  'The card’s PIV Authentication key does not match its certificate, so the card cannot prove it is the one the certificate was issued to. Do not use this card; report it to a card office.';

/** `session` must be logged in (the 9A key is private). `certificate` is the DER the card presented and that was validated. */
export function proveCardHoldsKey(session: Pkcs11Session, certificate: Uint8Array): ChallengeResult {
  const publicKey = new X509Certificate(Buffer.from(certificate)).publicKey;
  const key = session.privateKey(PIV_KEY_ID.authentication);
  if (!key)
    return {
      ok: false,
      code: 'NO_KEY',
      message: 'The card has no PIV Authentication key (slot 9A, CKA_ID 01), or it is not visible after sign-in.',
    };
  // A key of another type cannot have made a signature this certificate verifies; do not ask the card.
  if (key.type !== publicKey.asymmetricKeyType) return { ok: false, code: 'KEY_MISMATCH', message: MISMATCH };
  const challenge = randomBytes(32);
  // RSA: PKCS#1 v1.5 with SHA-256; EC: ECDSA with SHA-256, DER-encoded (the wrapper's defaults, which Node verifies).
  const signature = session.sign(key, challenge, { hash: 'sha256' });
  const rsaPadding = key.type === 'rsa' ? { padding: 1 /* RSA_PKCS1_PADDING */ } : {};
  return verify('sha256', challenge, { key: publicKey, ...rsaPadding }, signature)
    ? { ok: true }
    : { ok: false, code: 'KEY_MISMATCH', message: MISMATCH };
}
