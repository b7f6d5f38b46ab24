import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  publicEncrypt,
  randomBytes,
  scrypt,
  scryptSync,
  timingSafeEqual,
  constants,
  type KeyObject,
} from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import { normalizeRecoverySecret } from './recovery-secret';
import { StoreError } from '../../db/store-error';
import {
  CardError,
  DecryptionFailedError,
  KeyNotUsableError,
  MechanismUnsupportedError,
  ObjectNotFoundError,
} from '../../../native/pkcs11/errors';

/**
 * The key-slot header (like LUKS): wrapped copies of the random data key, one per way in. It
 * sits beside the database (`<db>.keys`) because it must be read before the database can be
 * decrypted. It holds no secret in the clear: each slot is AES-256-GCM (or RSA-OAEP) ciphertext
 * bound to this database and slot by its additional data.
 */
const b64 = z
  .string()
  .regex(/^[A-Za-z0-9+/]*={0,2}$/)
  .max(8192);

const RecoverySlotSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,64}$/),
    type: z.literal('recovery'),
    createdAt: z.string().max(40),
    kdf: z
      .object({
        name: z.literal('scrypt'),
        N: z.number().int().min(1024),
        r: z.number().int().min(1),
        p: z.number().int().min(1),
        salt: b64,
      })
      .strict(),
    iv: b64,
    wrapped: b64,
    tag: b64,
  })
  .strict();

const CardSlotSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,64}$/),
    type: z.literal('card'),
    createdAt: z.string().max(40),
    /** Who this slot is for (the user id the identity layer maps the certificate to). */
    label: z.string().max(200),
    /** The key-management certificate's public key, SubjectPublicKeyInfo DER, base64. */
    publicKey: b64,
    algorithm: z.enum(['RSA-OAEP-256', 'ECDH-ES-A256GCM']),
    /** ECDH only: the ephemeral public key (SPKI DER, base64). */
    ephemeralPublicKey: b64.optional(),
    iv: b64.optional(),
    tag: b64.optional(),
    wrapped: b64,
  })
  .strict();

export const KeySlotSchema = z.discriminatedUnion('type', [RecoverySlotSchema, CardSlotSchema]);
export type KeySlot = z.infer<typeof KeySlotSchema>;
export type RecoverySlot = z.infer<typeof RecoverySlotSchema>;
export type CardSlot = z.infer<typeof CardSlotSchema>;

export const KeyHeaderSchema = z
  .object({
    format: z.literal('enclave-keyslots/1'),
    databaseId: z.string().uuid(),
    /** HMAC of a constant under the data key: tells a wrong key from a damaged database. */
    keyCheck: z.string().regex(/^[0-9a-f]{64}$/),
    slots: z.array(KeySlotSchema).min(1).max(64),
  })
  .strict();
export type KeyHeader = z.infer<typeof KeyHeaderSchema>;

export const DEFAULT_SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;

const aad = (databaseId: string, slot: { id: string; type: string }) =>
  Buffer.from(`enclave-keyslot/1|${databaseId}|${slot.type}|${slot.id}`);

export function keyCheck(dataKey: Buffer): string {
  return createHmac('sha256', dataKey).update('enclave key check v1').digest('hex');
}

/** The SQLCipher page key: the data key is never used directly. */
export function databaseKey(dataKey: Buffer, databaseId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.from(databaseId), 'enclave sqlcipher page key v1', 32));
}

export function auditKeyFrom(dataKey: Buffer, databaseId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.from(databaseId), 'enclave audit mac v1', 32));
}

function gcmSeal(key: Buffer, plaintext: Buffer, additional: Buffer) {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(additional);
  const wrapped = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return {
    iv: iv.toString('base64'),
    wrapped: wrapped.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

function gcmOpen(key: Buffer, sealed: { iv: string; wrapped: string; tag: string }, additional: Buffer): Buffer | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64')).setAAD(additional);
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.wrapped, 'base64')), decipher.final()]);
  } catch {
    return null;
  }
}

/**
 * The most scrypt work a recovery slot may ask for: twice the N we write, the r we write, four lanes
 * (at most 256 MiB and about 3 s). The key file is not protected against edits, and an edited N=2^22
 * once took 39 s and 4 GB before failing.
 */
export const MAX_SCRYPT = { N: 2 ** 18, r: 8, p: 4 } as const;

/** Refuses, before any work, a recovery slot whose scrypt cost is beyond MAX_SCRYPT. */
export function assertScryptCost(kdf: RecoverySlot['kdf']): void {
  for (const name of ['N', 'r', 'p'] as const) {
    if (kdf[name] > MAX_SCRYPT[name])
      throw new StoreError(
        'KDF_TOO_COSTLY',
        `The key-slot file's recovery slot asks for scrypt ${name}=${kdf[name]}; Enclave allows at most ${name}=${MAX_SCRYPT[name]}. The file was edited or is damaged: restore it from a backup.`,
      );
  }
}

const scryptOptions = (kdf: RecoverySlot['kdf']) => ({
  N: kdf.N,
  r: kdf.r,
  p: kdf.p,
  maxmem: 128 * kdf.N * kdf.r + 16 * 1024 * 1024,
});

function scryptKek(secret: string, kdf: RecoverySlot['kdf']): Buffer {
  const normalized = normalizeRecoverySecret(secret);
  assertScryptCost(kdf);
  return scryptSync(normalized, Buffer.from(kdf.salt, 'base64'), 32, scryptOptions(kdf));
}

export function createRecoverySlot(
  dataKey: Buffer,
  databaseId: string,
  secret: string,
  cost: { N: number; r: number; p: number } = DEFAULT_SCRYPT,
): RecoverySlot {
  const base = {
    id: 'recovery',
    type: 'recovery' as const,
    createdAt: new Date().toISOString(),
    kdf: { name: 'scrypt' as const, ...cost, salt: randomBytes(16).toString('base64') },
  };
  return { ...base, ...gcmSeal(scryptKek(secret, base.kdf), dataKey, aad(databaseId, base)) };
}

/** Unwraps the data key with the recovery secret; null when the secret does not open this slot. */
export function openRecoverySlot(slot: RecoverySlot, databaseId: string, secret: string): Buffer | null {
  assertScryptCost(slot.kdf); // before the try below, which reads any failure as a wrong secret
  let kek: Buffer;
  try {
    kek = scryptKek(secret, slot.kdf);
  } catch {
    return null;
  }
  return gcmOpen(kek, slot, aad(databaseId, slot));
}

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  length: number,
  options: ReturnType<typeof scryptOptions>,
) => Promise<Buffer>;

/**
 * Whether the secret opens the recovery slot of the key file at `path`, worked out on libuv's thread
 * pool, so the service worker keeps answering while scrypt runs. A costly slot is refused first
 * (KDF_TOO_COSTLY); a missing or damaged file is KEYSLOTS_INVALID.
 */
export async function recoverySecretOpens(path: string, secret: string): Promise<boolean> {
  const header = readKeyHeader(path);
  const slot = header.slots.find((s): s is RecoverySlot => s.type === 'recovery');
  if (!slot) return false;
  assertScryptCost(slot.kdf);
  let normalized: string;
  try {
    normalized = normalizeRecoverySecret(secret);
  } catch {
    return false;
  }
  const kek = await scryptAsync(normalized, Buffer.from(slot.kdf.salt, 'base64'), 32, scryptOptions(slot.kdf));
  const dataKey = gcmOpen(kek, slot, aad(header.databaseId, slot));
  kek.fill(0);
  dataKey?.fill(0);
  return dataKey !== null;
}

/**
 * Wraps the data key to a card's key-management public key (PIV slot 9D): RSA-OAEP with SHA-256,
 * or ECDH with an ephemeral key (P-256/P-384) and AES-256-GCM. Only the card can unwrap it.
 */
export function createCardSlot(
  dataKey: Buffer,
  databaseId: string,
  id: string,
  label: string,
  publicKeyDer: Buffer,
): CardSlot {
  const publicKey = createPublicKey({ key: publicKeyDer, format: 'der', type: 'spki' });
  const base = {
    id,
    type: 'card' as const,
    createdAt: new Date().toISOString(),
    label,
    publicKey: publicKeyDer.toString('base64'),
  };
  if (publicKey.asymmetricKeyType === 'rsa') {
    const wrapped = publicEncrypt(
      {
        key: publicKey,
        oaepHash: 'sha256',
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepLabel: aad(databaseId, base),
      },
      dataKey,
    );
    return { ...base, algorithm: 'RSA-OAEP-256', wrapped: wrapped.toString('base64') };
  }
  if (publicKey.asymmetricKeyType === 'ec') {
    const curve = publicKey.asymmetricKeyDetails?.namedCurve;
    if (curve !== 'prime256v1' && curve !== 'secp384r1')
      throw new StoreError('KEYSLOTS_INVALID', `Unsupported key-management curve ${curve}.`);
    const ephemeral = generateKeyPairSync('ec', { namedCurve: curve });
    const kek = ecdhKek(diffieHellman({ privateKey: ephemeral.privateKey, publicKey }), databaseId, base.id);
    const ephemeralDer = ephemeral.publicKey.export({ format: 'der', type: 'spki' });
    return {
      ...base,
      algorithm: 'ECDH-ES-A256GCM',
      ephemeralPublicKey: ephemeralDer.toString('base64'),
      ...gcmSeal(kek, dataKey, aad(databaseId, base)),
    };
  }
  throw new StoreError('KEYSLOTS_INVALID', `Unsupported key-management key type ${publicKey.asymmetricKeyType}.`);
}

function ecdhKek(shared: Buffer, databaseId: string, slotId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.from(databaseId), `enclave card slot ${slotId}`, 32));
}

/** What the card does for an unwrap: RSA-OAEP decryption, or ECDH with the slot's ephemeral key. */
export interface CardOperations {
  decryptRsaOaep(ciphertext: Buffer, label: Buffer): Buffer;
  deriveEcdh(ephemeralPublicKey: KeyObject): Buffer;
}

/**
 * The data key from a card slot, or null when this card's key does not open it. A card or token
 * failure (removed, not logged in, device error) is thrown as it is, so the user is told that,
 * not that the card is the wrong one.
 */
export function openCardSlot(slot: CardSlot, databaseId: string, card: CardOperations): Buffer | null {
  try {
    if (slot.algorithm === 'RSA-OAEP-256')
      return card.decryptRsaOaep(Buffer.from(slot.wrapped, 'base64'), aad(databaseId, slot));
    const ephemeral = createPublicKey({
      key: Buffer.from(slot.ephemeralPublicKey ?? '', 'base64'),
      format: 'der',
      type: 'spki',
    });
    const kek = ecdhKek(card.deriveEcdh(ephemeral), databaseId, slot.id);
    return gcmOpen(kek, { iv: slot.iv ?? '', wrapped: slot.wrapped, tag: slot.tag ?? '' }, aad(databaseId, slot));
  } catch (error) {
    // "Not this card's key" (wrong key, wrong key type, no such key) means try the next slot.
    const notThisCard =
      error instanceof DecryptionFailedError ||
      error instanceof KeyNotUsableError ||
      error instanceof MechanismUnsupportedError ||
      error instanceof ObjectNotFoundError;
    if (error instanceof CardError && !notThisCard) throw error;
    return null;
  }
}

export function verifyKeyCheck(header: KeyHeader, dataKey: Buffer): boolean {
  return timingSafeEqual(Buffer.from(header.keyCheck, 'hex'), Buffer.from(keyCheck(dataKey), 'hex'));
}

export function readKeyHeader(path: string): KeyHeader {
  if (!existsSync(path))
    throw new StoreError(
      'KEYSLOTS_INVALID',
      `The key-slot file ${path} is missing: without it the database cannot be unlocked.`,
    );
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new StoreError('KEYSLOTS_INVALID', `The key-slot file ${path} is damaged (not JSON).`);
  }
  const parsed = KeyHeaderSchema.safeParse(json);
  if (!parsed.success)
    throw new StoreError(
      'KEYSLOTS_INVALID',
      `The key-slot file ${path} is damaged (${parsed.error.issues[0]?.message ?? 'invalid'}).`,
    );
  return parsed.data;
}

/** Writes a file so that a crash leaves either the old or the new content, never a mix. */
export function writeFileDurably(path: string, content: string | Buffer): void {
  const temp = `${path}.tmp-${randomBytes(4).toString('hex')}`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

export function writeKeyHeader(path: string, header: KeyHeader): void {
  writeFileDurably(path, `${JSON.stringify(KeyHeaderSchema.parse(header), null, 2)}\n`);
}
