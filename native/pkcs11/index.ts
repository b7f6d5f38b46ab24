/** Typed PKCS#11 over pkcs11js: modules, slots, sessions, PIV objects, sign, decrypt, derive. See docs/pkcs11.md. */
export {
  Pkcs11Module,
  loadPkcs11Modules,
  presentTokens,
  type ModuleDescription,
  type ModuleLoadFailure,
  type SlotDescription,
  type TokenDescription,
} from './module';
export { Pkcs11Session, type CertificateObject, type PrivateKeyObject } from './session';
export type { SignOptions } from './private-key-operations';
export { keyManagementUnwrap, type CardUnwrap } from './card-unwrap';
export { generateP384SigningKey } from './key-generation';
export { PIV_KEY_ID, DEFAULT_PKCS11_MODULE, type PivKeyName } from './piv';
export type { CurveName } from './ec-keys';
export type { HashName } from './signature-encoding';
export * from './errors';
export { NATIVE_CALL_CLOCK_BYTES, nativeCallRunningSince, shareNativeCallClock } from './call-clock';
