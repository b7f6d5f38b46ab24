import { constants, generateKeyPairSync, privateDecrypt, publicEncrypt, randomBytes, sign, verify } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  CardRemovedError,
  CKR,
  DecryptionFailedError,
  DeviceError,
  ModuleNotInitializedError,
  NotLoggedInError,
  PinFormatError,
  PinIncorrectError,
  PinLockedError,
  toCardError,
} from '../../../native/pkcs11/errors';
import { oaepDecode } from '../../../native/pkcs11/oaep';
import { ecdsaRawToDer } from '../../../native/pkcs11/signature-encoding';

// The pure parts of the PKCS#11 wrapper, checked against Node's own OpenSSL: OAEP decoding of a
// raw RSA result, the ECDSA r||s → DER conversion, and the return-code → error mapping.

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rawRsaDecrypt = (ciphertext: Buffer) =>
  privateDecrypt({ key: rsa.privateKey, padding: constants.RSA_NO_PADDING }, ciphertext);

describe('OAEP decoding of a raw RSA result (what CKM_RSA_X_509 returns)', () => {
  it('recovers what Node encrypted with RSA-OAEP-SHA256 and a label, for any message and label', () => {
    for (let i = 0; i < 20; i += 1) {
      const message = randomBytes(i === 0 ? 0 : 1 + ((i * 7) % 190));
      const label = randomBytes(i % 3 === 0 ? 0 : 40);
      const ciphertext = publicEncrypt(
        { key: rsa.publicKey, oaepHash: 'sha256', oaepLabel: label, padding: constants.RSA_PKCS1_OAEP_PADDING },
        message,
      );
      expect(oaepDecode(rawRsaDecrypt(ciphertext), 256, label)).toEqual(message);
    }
  });

  it('accepts a raw result whose leading zero bytes the module dropped', () => {
    const message = randomBytes(32);
    const label = Buffer.from('enclave-keyslot/1|db|card|slot');
    const ciphertext = publicEncrypt({ key: rsa.publicKey, oaepHash: 'sha256', oaepLabel: label }, message);
    const raw = rawRsaDecrypt(ciphertext);
    expect(raw[0]).toBe(0);
    expect(oaepDecode(raw.subarray(1), 256, label)).toEqual(message);
  });

  it('refuses a wrong label, a damaged block, a non-OAEP block and an over-long input', () => {
    const label = Buffer.from('right');
    const ciphertext = publicEncrypt({ key: rsa.publicKey, oaepHash: 'sha256', oaepLabel: label }, randomBytes(32));
    const raw = rawRsaDecrypt(ciphertext);
    expect(oaepDecode(raw, 256, Buffer.from('wrong'))).toBeNull();
    const damaged = Buffer.from(raw);
    damaged[200] = (damaged[200] ?? 0) ^ 0x01;
    expect(oaepDecode(damaged, 256, label)).toBeNull();
    const pkcs1 = rawRsaDecrypt(
      publicEncrypt({ key: rsa.publicKey, padding: constants.RSA_PKCS1_PADDING }, randomBytes(32)),
    );
    expect(oaepDecode(pkcs1, 256, label)).toBeNull();
    expect(oaepDecode(Buffer.concat([Buffer.from([1]), raw]), 256, label)).toBeNull();
    // A first byte that is not zero fails even when the rest decodes.
    const nonZeroLead = Buffer.from(raw);
    nonZeroLead[0] = 1;
    expect(oaepDecode(nonZeroLead, 256, label)).toBeNull();
  });
});

describe('ECDSA r||s to DER', () => {
  it('gives signatures Node verifies as DER, for P-256, P-384 and P-521 (long-form length)', () => {
    for (const namedCurve of ['P-256', 'P-384', 'P-521']) {
      const ec = generateKeyPairSync('ec', { namedCurve });
      for (let i = 0; i < 20; i += 1) {
        const data = randomBytes(64);
        const raw = sign('sha256', data, { key: ec.privateKey, dsaEncoding: 'ieee-p1363' });
        const der = ecdsaRawToDer(raw);
        expect(verify('sha256', data, { key: ec.publicKey, dsaEncoding: 'der' }, der)).toBe(true);
        expect(der.equals(raw)).toBe(false);
      }
    }
  });

  it('refuses an odd or empty r||s', () => {
    expect(() => ecdsaRawToDer(Buffer.alloc(0))).toThrow(RangeError);
    expect(() => ecdsaRawToDer(Buffer.alloc(63))).toThrow(RangeError);
  });
});

/** What pkcs11js throws: a Pkcs11Error whose message is the CKR name and whose code is the CK_RV. */
function pkcs11jsError(name: string, code: number): Error {
  const error = new Error(name);
  error.name = 'Pkcs11Error';
  return Object.assign(error, { code, method: 'C_Login' });
}

describe('PKCS#11 return codes to errors', () => {
  const pin = '73194682';

  it('names a wrong PIN, a last try and a lock, without the PIN', () => {
    const plain = toCardError(pkcs11jsError('CKR_PIN_INCORRECT', CKR.PIN_INCORRECT), 'C_Login', () => ({
      countLow: false,
      finalTry: false,
      locked: false,
    }));
    expect(plain).toBeInstanceOf(PinIncorrectError);
    expect(plain.message).toBe('The PIN is incorrect.');
    const last = toCardError(pkcs11jsError('CKR_PIN_INCORRECT', CKR.PIN_INCORRECT), 'C_Login', () => ({
      countLow: true,
      finalTry: true,
      locked: false,
    }));
    expect(last.message).toMatch(/One try is left/);
    // Some cards answer the try that locks them with PIN_INCORRECT and set the locked flag.
    expect(
      toCardError(pkcs11jsError('CKR_PIN_INCORRECT', CKR.PIN_INCORRECT), 'C_Login', () => ({
        countLow: false,
        finalTry: false,
        locked: true,
      })),
    ).toBeInstanceOf(PinLockedError);
    expect(toCardError(pkcs11jsError('CKR_PIN_LOCKED', CKR.PIN_LOCKED), 'C_Login')).toBeInstanceOf(PinLockedError);
    expect(toCardError(pkcs11jsError('CKR_PIN_LEN_RANGE', CKR.PIN_LEN_RANGE), 'C_Login')).toBeInstanceOf(
      PinFormatError,
    );
    for (const error of [plain, last]) expect(inspect(error) + JSON.stringify(error)).not.toContain(pin);
  });

  it('treats device removed, token not present and an invalid session handle as a removed card', () => {
    for (const code of [CKR.DEVICE_REMOVED, CKR.TOKEN_NOT_PRESENT, CKR.SESSION_HANDLE_INVALID, CKR.SESSION_CLOSED]) {
      const error = toCardError(pkcs11jsError('x', code), 'C_Sign');
      expect(error).toBeInstanceOf(CardRemovedError);
      expect(error.code).toBe(code);
      expect(error.message).toMatch(/card was removed/);
    }
  });

  it('maps the other codes a card session meets', () => {
    expect(toCardError(pkcs11jsError('CKR_USER_NOT_LOGGED_IN', CKR.USER_NOT_LOGGED_IN), 'C_Sign')).toBeInstanceOf(
      NotLoggedInError,
    );
    expect(
      toCardError(pkcs11jsError('CKR_CRYPTOKI_NOT_INITIALIZED', CKR.CRYPTOKI_NOT_INITIALIZED), 'C_Sign'),
    ).toBeInstanceOf(ModuleNotInitializedError);
    expect(toCardError(pkcs11jsError('CKR_DEVICE_ERROR', CKR.DEVICE_ERROR), 'C_Sign')).toBeInstanceOf(DeviceError);
    const other = toCardError(pkcs11jsError('CKR_OPERATION_ACTIVE', 0x90), 'C_SignInit');
    expect(other.message).toBe('C_SignInit failed (CKR_OPERATION_ACTIVE).');
  });

  it('reads CKR_DATA_INVALID from C_Decrypt as "not encrypted to this card" (OpenSC, tests/integration/opensc-piv), elsewhere as itself', () => {
    for (const code of [CKR.DATA_INVALID, CKR.DATA_LEN_RANGE])
      expect(toCardError(pkcs11jsError('x', code), 'C_Decrypt')).toBeInstanceOf(DecryptionFailedError);
    const signing = toCardError(pkcs11jsError('CKR_DATA_INVALID', CKR.DATA_INVALID), 'C_Sign');
    expect(signing).not.toBeInstanceOf(DecryptionFailedError);
    expect(signing.message).toBe('C_Sign failed (CKR_DATA_INVALID).');
    expect(new NotLoggedInError('C_Login', CKR.OPERATION_NOT_INITIALIZED).message).toMatch(
      /PIN before this key .*CKR_OPERATION_NOT_INITIALIZED/,
    );
  });

  it('keeps no argument text from a non-PKCS#11 failure of a login', () => {
    const error = toCardError(new TypeError(`bad pin ${pin}`), 'C_Login');
    expect(error.message).not.toContain(pin);
  });
});
