import { createRequire } from 'node:module';

/** The pkcs11js module (native): loaded on first use so that importing the wrapper costs nothing. */
export type Pkcs11js = typeof import('pkcs11js');
export type NativePkcs11 = import('pkcs11js').PKCS11;

const requireNative = createRequire(import.meta.url);
let loaded: Pkcs11js | undefined;

export function pkcs11js(): Pkcs11js {
  loaded ??= requireNative('pkcs11js') as Pkcs11js;
  return loaded;
}

/**
 * CK_ULONG attribute values come back as native-endian bytes of the platform's word size (4 or 8).
 * Every platform Enclave ships on is little-endian.
 */
export function readUlong(value: Buffer): number {
  if (value.length === 8) return Number(value.readBigUInt64LE(0));
  if (value.length === 4) return value.readUInt32LE(0);
  throw new RangeError(`unexpected CK_ULONG of ${value.length} bytes`);
}

/** A slot or object handle (a CK_ULONG in a Buffer) as a decimal string, for logs and equality. */
export function handleId(handle: Buffer): string {
  let value = 0n;
  for (let i = handle.length - 1; i >= 0; i -= 1) value = (value << 8n) | BigInt(handle[i] ?? 0);
  return value.toString();
}

/** Fixed-width, blank-padded PKCS#11 strings (labels, serials) without their padding. */
export function trimPadded(text: string): string {
  return text.replace(/[\s\0]+$/u, '');
}
