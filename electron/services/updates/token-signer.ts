import { X509Certificate, type KeyObject } from 'node:crypto';
import {
  CardError,
  generateP384SigningKey,
  Pkcs11Module,
  presentTokens,
  type Pkcs11Session,
} from '../../../native/pkcs11';
import { RepositoryError } from './repository/errors';
import type { TufPublicKey, TufSigner } from './tuf/signer';

/** Which key: the PKCS#11 module, the token's label and the key's CKA_LABEL. */
export interface TokenKeyLocation {
  readonly modulePath: string;
  readonly tokenLabel: string;
  readonly keyLabel: string;
}

/** A signer whose private key stays on the token; `close` ends the session and unloads the module. */
export interface TokenSigner extends SessionSigner {
  close(): void;
}

/** A TufSigner that can also sign at once: SHA-384 ECDSA, DER (what CMS and PKCS#10 callers need). */
export interface SessionSigner extends TufSigner {
  signNow(message: Uint8Array): Buffer;
}

/**
 * Opens the officer's token, logs in with `pin`, optionally generates the P-384 key there first, and
 * returns a TufSigner (scheme ecdsa-sha2-nistp384): SHA-384 of the canonical metadata is computed
 * here and signed on the token with CKM_ECDSA, the r||s it returns re-encoded as DER. The PIN is an
 * argument of this call only and is kept solely for a key that asks for it at every signature.
 */
export function openTokenSigner(
  location: TokenKeyLocation,
  pin: string,
  options: { generate?: boolean } = {},
): TokenSigner {
  let module: Pkcs11Module;
  try {
    module = Pkcs11Module.load(location.modulePath);
  } catch (error) {
    throw refused(error);
  }
  let session: Pkcs11Session | null = null;
  try {
    session = module.openSession(findTokenSlot(module, location.tokenLabel), { readWrite: options.generate === true });
    session.login(pin);
    if (options.generate) generateP384SigningKey(session, location.keyLabel);
    const signer = signerOnSession(session, location.keyLabel, pin);
    const opened = session;
    return {
      ...signer,
      close: () => {
        closeQuietly(opened);
        module.close();
      },
    };
  } catch (error) {
    if (session) closeQuietly(session);
    module.close();
    throw refused(error);
  }
}

function findTokenSlot(module: Pkcs11Module, tokenLabel: string): Buffer {
  const tokens = presentTokens([module]);
  const matching = tokens.filter(({ slot }) => slot.token.label === tokenLabel);
  if (matching.length === 1) return matching[0]!.slot.handle;
  if (matching.length > 1)
    throw new RepositoryError(
      'refused',
      `${matching.length} tokens are labelled "${tokenLabel}"; refusing to guess which.`,
    );
  const labels = tokens
    .map(({ slot }) => `"${slot.token.label}"`)
    .filter((label) => label !== '""')
    .sort();
  throw new RepositoryError(
    'refused',
    `No token labelled "${tokenLabel}" is present (present: ${labels.length ? labels.join(', ') : 'none'}).`,
  );
}

/** The TufSigner for the key labelled `keyLabel` on a logged-in session. */
export function signerOnSession(session: Pkcs11Session, keyLabel: string, pin?: string): SessionSigner {
  const ids = session.idsWithLabel('privateKey', keyLabel);
  if (ids.length === 0)
    throw new RepositoryError(
      'refused',
      `The token has no private key labelled "${keyLabel}" (generate one with: enclave update key --generate).`,
    );
  if (ids.length > 1)
    throw new RepositoryError(
      'refused',
      `The token has ${ids.length} private keys labelled "${keyLabel}"; refusing to guess.`,
    );
  const id = ids[0]!;
  const privateKey = session.privateKey(id);
  if (!privateKey)
    throw new RepositoryError('refused', `The private key labelled "${keyLabel}" vanished from the token.`);
  if (privateKey.type !== 'ec' || privateKey.curve !== 'P-384')
    throw new RepositoryError(
      'refused',
      `The key labelled "${keyLabel}" is ${privateKey.type === 'ec' ? (privateKey.curve ?? 'an unknown curve') : 'RSA'}; TUF role keys here are ECDSA P-384.`,
    );
  if (!privateKey.canSign)
    throw new RepositoryError('refused', `The key labelled "${keyLabel}" may not sign (CKA_SIGN is false).`);
  const publicKey = publicKeyBeside(session, id, keyLabel);
  const key: TufPublicKey = {
    keytype: 'ecdsa',
    scheme: 'ecdsa-sha2-nistp384',
    keyval: { public: publicKey.export({ format: 'pem', type: 'spki' }).toString() },
  };
  const signNow = (message: Uint8Array): Buffer => {
    try {
      return session.sign(privateKey, Buffer.from(message), {
        hash: 'sha384',
        ecdsaEncoding: 'der',
        ...(privateKey.alwaysAuthenticate && pin ? { pin } : {}),
      });
    } catch (error) {
      throw refused(error); // a token pulled mid-signing reads as a refusal in the card's words
    }
  };
  return { key, signNow, sign: async (message) => signNow(message) };
}

/** The public key object with the key's CKA_ID, else the certificate's key (some cards keep only that). */
function publicKeyBeside(session: Pkcs11Session, id: Buffer, keyLabel: string): KeyObject {
  const publicKey = session.publicKey(id);
  if (publicKey) return publicKey;
  const certificate = session.certificate(id);
  if (certificate) return new X509Certificate(certificate.der).publicKey;
  throw new RepositoryError(
    'refused',
    `The token has no public key or certificate beside the key labelled "${keyLabel}", so its public key cannot be read.`,
  );
}

function closeQuietly(session: Pkcs11Session): void {
  try {
    session.logout();
    session.close();
  } catch {
    // Closing after a failure: the module is unloaded next, which ends the session anyway.
  }
}

/** Card errors become refusals in their own (PIN-free) words. */
function refused(error: unknown): Error {
  if (error instanceof RepositoryError) return error;
  if (error instanceof CardError) return new RepositoryError('refused', error.message);
  return error as Error;
}
