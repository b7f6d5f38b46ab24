import { createPublicKey, type KeyObject } from 'node:crypto';
import { curveFromParams, publicKeyFromEcPoint, type CurveName } from './ec-keys';
import {
  CardError,
  CardRemovedError,
  CKR,
  HandleInvalidError,
  KeyNotUsableError,
  NotLoggedInError,
  PinFormatError,
  PinRequiredError,
  SessionClosedError,
} from './errors';
import type { Pkcs11Module } from './module';
import { keyIdBytes } from './piv';
import { handleId, pkcs11js, readUlong, trimPadded, type NativePkcs11 } from './pkcs11js';
import { decryptRsaOaep, deriveEcdh, signWithKey, type SignOptions } from './private-key-operations';
import { endLogin, loginGeneration, registerSession, unregisterSession } from './session-registry';

export interface CertificateObject {
  handle: Buffer;
  id: Buffer;
  label: string;
  /** The X.509 certificate, DER. */
  der: Buffer;
}

export interface PrivateKeyObject {
  handle: Buffer;
  id: Buffer;
  label: string;
  type: 'rsa' | 'ec';
  /** RSA: the modulus length in bytes (null when the token hides it). */
  modulusBytes: number | null;
  /** RSA: the modulus itself, big-endian (null when the token gives only its size). */
  modulus: Buffer | null;
  /** EC: the named curve (null for curves we do not know). */
  curve: CurveName | null;
  /** CKA_ALWAYS_AUTHENTICATE: every use needs C_Login(CKU_CONTEXT_SPECIFIC) right after its Init. */
  alwaysAuthenticate: boolean;
  canSign: boolean;
  canDecrypt: boolean;
  canDerive: boolean;
}

/** The login generation each private key was found in (see session-registry.ts). */
const foundIn = new WeakMap<PrivateKeyObject, number>();

const CKF_TOKEN_PRESENT = 0x1;
const CKS_RO_USER_FUNCTIONS = 1;
const CKS_RW_USER_FUNCTIONS = 3;

/**
 * A session on one token. Objects are looked up by class and CKA_ID, never by label. The PIN is an
 * argument of the one call that needs it (login, or sign/decrypt with an always-authenticate key)
 * and is not kept anywhere.
 */
export class Pkcs11Session {
  #handle: Buffer | null;
  /** Closed by closeAllSessions: the module dropped it, and its handle value may be another's now. */
  #retired = false;

  constructor(
    readonly module: Pkcs11Module,
    readonly slot: Buffer,
    handle: Buffer,
  ) {
    this.#handle = handle;
    registerSession(module.path, handleId(slot), this);
  }

  get closed(): boolean {
    return this.#handle === null || this.module.closed;
  }

  /** One native call with this session's handle; refuses once the session or module is closed. */
  invoke<T>(operation: string, call: (native: NativePkcs11, session: Buffer) => T, withPinState = false): T {
    const handle = this.#handle;
    if (!handle) throw new SessionClosedError(operation, 'session');
    if (this.#retired) throw new CardRemovedError(operation, CKR.SESSION_HANDLE_INVALID);
    try {
      return this.module.invoke(
        operation,
        (native) => call(native, handle),
        withPinState ? () => this.module.token(this.slot).pin : undefined,
      );
    } catch (error) {
      // The card went, and its login with it: keys found before are not this card's any more.
      if (error instanceof CardRemovedError) endLogin(this.module.path, handleId(this.slot));
      throw error;
    }
  }

  /**
   * For Pkcs11Module.closeAllSessions: closes this session in the module if it is still open there
   * (C_CloseAllSessions may have missed it), and answers every later call as a dropped session.
   */
  retire(): void {
    const handle = this.#handle;
    if (!handle || this.#retired) return;
    try {
      // Only if the handle is still a session on this slot (not a reused value on another slot).
      const info = this.module.invoke('C_GetSessionInfo', (p) => p.C_GetSessionInfo(handle));
      if (handleId(info.slotID) === handleId(this.slot))
        this.module.invoke('C_CloseSession', (p) => p.C_CloseSession(handle));
    } catch {
      // Already closed by C_CloseAllSessions: the usual case.
    }
    this.#retired = true;
    unregisterSession(this.module.path, handleId(this.slot), this);
  }

  /**
   * Whether the user is logged in; throws CardRemovedError when the card has gone (a cheap poll).
   * C_GetSlotInfo first: OpenSC 0.23 answers C_GetSessionInfo from its cache without asking a PIV
   * card it believes verified, so only a look at the slot (OpenSC: at most once a second) notices
   * a pulled card; that also ends the card's sessions in OpenSC.
   */
  loggedIn(): boolean {
    const { flags } = this.invoke('C_GetSlotInfo', (p) => p.C_GetSlotInfo(this.slot));
    if ((flags & CKF_TOKEN_PRESENT) === 0) {
      endLogin(this.module.path, handleId(this.slot));
      throw new CardRemovedError('C_GetSlotInfo', CKR.TOKEN_NOT_PRESENT);
    }
    const { state } = this.invoke('C_GetSessionInfo', (p, s) => p.C_GetSessionInfo(s));
    return state === CKS_RO_USER_FUNCTIONS || state === CKS_RW_USER_FUNCTIONS;
  }

  /**
   * C_Login as the card holder. When the token says someone is already logged in, logs out and in
   * again, so the PIN given here is always the one checked.
   */
  login(pin: string): void {
    // An empty PIN would mean "use the reader's PIN pad" to some modules: not what a caller meant.
    if (typeof pin !== 'string' || pin.length === 0) throw new PinFormatError('C_Login', CKR.PIN_LEN_RANGE);
    const { CKU_USER } = pkcs11js();
    try {
      this.invoke('C_Login', (p, s) => p.C_Login(s, CKU_USER, pin), true);
    } catch (error) {
      if (!(error instanceof CardError && error.code === CKR.USER_ALREADY_LOGGED_IN)) throw error;
      this.logout();
      this.invoke('C_Login', (p, s) => p.C_Login(s, CKU_USER, pin), true);
    }
  }

  logout(): void {
    try {
      this.invoke('C_Logout', (p, s) => p.C_Logout(s));
    } catch (error) {
      if (!(error instanceof CardError && error.code === CKR.USER_NOT_LOGGED_IN)) throw error;
    } finally {
      endLogin(this.module.path, handleId(this.slot));
    }
  }

  /** Refuses a private key found before the token's login last ended (logout, closeAllSessions). */
  #current(key: PrivateKeyObject, operation: string): void {
    const generation = foundIn.get(key);
    if (generation === undefined || generation === loginGeneration(this.module.path, handleId(this.slot))) return;
    // A session the module dropped (card pulled) says so first: that is the more useful error.
    this.invoke('C_GetSessionInfo', (p, s) => p.C_GetSessionInfo(s));
    throw new HandleInvalidError(operation, CKR.KEY_HANDLE_INVALID);
  }

  /** Object handles of one class, optionally with one CKA_ID. */
  findObjects(objectClass: 'certificate' | 'publicKey' | 'privateKey' | 'data', id?: number | Buffer): Buffer[] {
    const P = pkcs11js();
    const classes = {
      certificate: P.CKO_CERTIFICATE,
      publicKey: P.CKO_PUBLIC_KEY,
      privateKey: P.CKO_PRIVATE_KEY,
      data: P.CKO_DATA,
    };
    const template: { type: number; value: number | Buffer }[] = [{ type: P.CKA_CLASS, value: classes[objectClass] }];
    if (id !== undefined) template.push({ type: P.CKA_ID, value: keyIdBytes(id) });
    if (objectClass === 'certificate') template.push({ type: P.CKA_CERTIFICATE_TYPE, value: P.CKC_X_509 });
    return this.#find(template);
  }

  #find(template: { type: number; value: number | Buffer }[]): Buffer[] {
    this.invoke('C_FindObjectsInit', (p, s) => p.C_FindObjectsInit(s, template));
    const found: Buffer[] = [];
    try {
      for (;;) {
        const batch = this.invoke('C_FindObjects', (p, s) => p.C_FindObjects(s, 32));
        if (batch.length === 0) break;
        found.push(...batch);
      }
    } finally {
      try {
        this.invoke('C_FindObjectsFinal', (p, s) => p.C_FindObjectsFinal(s));
      } catch {
        // The search already failed or finished; a failing Final (card pulled) shows on the next call.
      }
    }
    return found;
  }

  /**
   * The CKA_IDs of the objects of a class with this CKA_LABEL. PIV objects are never chosen by label
   * (see piv.ts); an update officer's TUF key is, because the officer named it when generating it.
   */
  idsWithLabel(objectClass: 'publicKey' | 'privateKey' | 'certificate', label: string): Buffer[] {
    const P = pkcs11js();
    const classes = { certificate: P.CKO_CERTIFICATE, publicKey: P.CKO_PUBLIC_KEY, privateKey: P.CKO_PRIVATE_KEY };
    const template = [
      { type: P.CKA_CLASS, value: classes[objectClass] },
      { type: P.CKA_LABEL, value: Buffer.from(label, 'utf8') },
    ];
    return this.#find(template).map((handle) => this.attribute(handle, P.CKA_ID) ?? Buffer.alloc(0));
  }

  /** The one object of a class with this CKA_ID, or null; two with the same CKA_ID is refused. */
  #single(objectClass: 'certificate' | 'publicKey' | 'privateKey', id: number | Buffer): Buffer | null {
    const found = this.findObjects(objectClass, id);
    if (found.length > 1)
      throw new CardError(
        `The card has ${found.length} ${objectClass} objects with CKA_ID ${keyIdBytes(id).toString('hex')}; refusing to guess.`,
        'C_FindObjects',
      );
    return found[0] ?? null;
  }

  /** Attribute values, or null for those the object does not have or will not reveal. */
  attribute(object: Buffer, type: number): Buffer | null {
    try {
      return (
        this.invoke('C_GetAttributeValue', (p, s) => p.C_GetAttributeValue(s, object, [{ type }]))[0]?.value ?? null
      );
    } catch (error) {
      if (
        error instanceof CardError &&
        (error.code === CKR.ATTRIBUTE_TYPE_INVALID || error.code === CKR.ATTRIBUTE_SENSITIVE)
      )
        return null;
      throw error;
    }
  }

  /** CKA_KEY_TYPE, required: an unreadable one must not default to 0, which is CKK_RSA. */
  #keyType(object: Buffer): number {
    const value = this.attribute(object, pkcs11js().CKA_KEY_TYPE);
    if (!value) throw new KeyNotUsableError('C_GetAttributeValue', 'the token does not say its key type');
    return readUlong(value);
  }

  #flag(object: Buffer, type: number): boolean {
    return this.attribute(object, type)?.[0] === 1;
  }

  /** The X.509 certificate with this CKA_ID (PIV 01 = 9A, 02 = 9C, 03 = 9D, 04 = 9E), or null. */
  certificate(id: number | Buffer): CertificateObject | null {
    const P = pkcs11js();
    const handle = this.#single('certificate', id);
    if (!handle) return null;
    const der = this.attribute(handle, P.CKA_VALUE);
    if (!der || der.length === 0) throw new CardError('The certificate object has no value.', 'C_GetAttributeValue');
    return {
      handle,
      id: keyIdBytes(id),
      label: trimPadded(this.attribute(handle, P.CKA_LABEL)?.toString('utf8') ?? ''),
      der,
    };
  }

  /** The public key object with this CKA_ID as a Node KeyObject, or null when the card has none. */
  publicKey(id: number | Buffer): KeyObject | null {
    const P = pkcs11js();
    const handle = this.#single('publicKey', id);
    if (!handle) return null;
    const keyType = this.#keyType(handle);
    if (keyType === P.CKK_RSA) {
      const n = this.attribute(handle, P.CKA_MODULUS);
      const e = this.attribute(handle, P.CKA_PUBLIC_EXPONENT);
      if (!n || !e)
        throw new CardError('The RSA public key object lacks its modulus or exponent.', 'C_GetAttributeValue');
      return createPublicKey({
        key: { kty: 'RSA', n: n.toString('base64url'), e: e.toString('base64url') },
        format: 'jwk',
      });
    }
    if (keyType === P.CKK_EC) {
      const curve = curveFromParams(this.attribute(handle, P.CKA_EC_PARAMS) ?? Buffer.alloc(0));
      const point = this.attribute(handle, P.CKA_EC_POINT);
      if (!curve || !point)
        throw new CardError('The EC public key object has an unknown curve or no point.', 'C_GetAttributeValue');
      return publicKeyFromEcPoint(curve, point);
    }
    throw new KeyNotUsableError('C_GetAttributeValue', `key type ${keyType} is neither RSA nor EC`);
  }

  /** The private key with this CKA_ID and what it may do, or null. Most cards show it only after login. */
  privateKey(id: number | Buffer): PrivateKeyObject | null {
    const P = pkcs11js();
    const handle = this.#single('privateKey', id);
    if (!handle) return null;
    const keyType = this.#keyType(handle);
    if (keyType !== P.CKK_RSA && keyType !== P.CKK_EC)
      throw new KeyNotUsableError('C_GetAttributeValue', `key type ${keyType} is neither RSA nor EC`);
    const rsa = keyType === P.CKK_RSA;
    const modulus = rsa ? this.attribute(handle, P.CKA_MODULUS) : null;
    const modulusBits = rsa && !modulus ? this.attribute(handle, P.CKA_MODULUS_BITS) : null;
    const key: PrivateKeyObject = {
      handle,
      id: keyIdBytes(id),
      label: trimPadded(this.attribute(handle, P.CKA_LABEL)?.toString('utf8') ?? ''),
      type: rsa ? 'rsa' : 'ec',
      modulusBytes: modulus ? modulus.length : modulusBits ? Math.ceil(readUlong(modulusBits) / 8) : null,
      modulus: modulus ?? null,
      curve: rsa ? null : curveFromParams(this.attribute(handle, P.CKA_EC_PARAMS) ?? Buffer.alloc(0)),
      alwaysAuthenticate: this.#flag(handle, P.CKA_ALWAYS_AUTHENTICATE),
      canSign: this.#flag(handle, P.CKA_SIGN),
      canDecrypt: this.#flag(handle, P.CKA_DECRYPT),
      canDerive: this.#flag(handle, P.CKA_DERIVE),
    };
    foundIn.set(key, loginGeneration(this.module.path, handleId(this.slot)));
    return key;
  }

  /** Signs `data` (hashed here); see SignOptions for the algorithms and the ECDSA encoding. */
  sign(key: PrivateKeyObject, data: Buffer, options: SignOptions = {}): Buffer {
    this.#current(key, 'C_SignInit');
    return signWithKey(this, key, data, options);
  }

  /** RSA-OAEP (SHA-256, MGF1-SHA-256, with label) decryption with the card's key. */
  decryptRsaOaep(key: PrivateKeyObject, ciphertext: Buffer, label: Buffer, pin?: string): Buffer {
    this.#current(key, 'C_DecryptInit');
    return decryptRsaOaep(this, key, ciphertext, label, pin);
  }

  /** ECDH (CKM_ECDH1_DERIVE, no KDF): the shared secret's X coordinate, as Node's diffieHellman gives. */
  deriveEcdh(key: PrivateKeyObject, peerPublicKey: KeyObject): Buffer {
    this.#current(key, 'C_DeriveKey');
    return deriveEcdh(this, key, peerPublicKey);
  }

  /**
   * Runs Init, then (for an always-authenticate key) C_Login(CKU_CONTEXT_SPECIFIC), then the
   * operation, with no other call in between: cards drop the context login at any other command.
   */
  withContextLogin<T>(
    init: [string, (p: NativePkcs11, s: Buffer) => void],
    pin: string | undefined,
    key: PrivateKeyObject,
    run: [string, (p: NativePkcs11, s: Buffer) => T],
  ): T {
    if (key.alwaysAuthenticate && (typeof pin !== 'string' || pin.length === 0)) throw new PinRequiredError(run[0]);
    this.invoke(...init);
    if (key.alwaysAuthenticate) {
      const { CKU_CONTEXT_SPECIFIC } = pkcs11js();
      try {
        this.invoke('C_Login', (p, s) => p.C_Login(s, CKU_CONTEXT_SPECIFIC, pin), true);
      } catch (error) {
        this.#abandon(run[1]);
        // The Init just succeeded, so "operation not initialized" is OpenSC saying that it no longer
        // counts the user as logged in (it drops the login when the card refuses a key): sign in again.
        if (error instanceof CardError && error.code === CKR.OPERATION_NOT_INITIALIZED)
          throw new NotLoggedInError('C_Login', error.code);
        throw error;
      }
    }
    return this.invoke(...run);
  }

  /** Ends an operation left active by a failed context login: the spec ends it at its next call. */
  #abandon(run: (p: NativePkcs11, s: Buffer) => unknown): void {
    try {
      this.invoke('abandon', run);
    } catch {
      // Expected: without the context login the call fails, and that failure ends the operation.
    }
  }

  close(): void {
    unregisterSession(this.module.path, handleId(this.slot), this);
    if (!this.#handle || this.module.closed || this.#retired) {
      this.#handle = null;
      return;
    }
    try {
      this.invoke('C_CloseSession', (p, s) => p.C_CloseSession(s));
    } catch (error) {
      // A session the module already dropped (card pulled) is closed as far as we are concerned.
      if (!(error instanceof CardRemovedError)) throw error;
    } finally {
      this.#handle = null;
    }
  }
}
