import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { writeFileDurably } from '../vault/keyslots';
import { hmacSha256 } from './hmac';

/**
 * The audit log's seal: where the chain ended when this workstation last wrote it (entry number
 * and that entry's authentication code), kept outside the database (`enclave.db.seal`) and
 * authenticated with the workstation's seal key (`audit-seal.key`), which is in no database, key
 * file or backup, and which the recovery secret does not give. Whoever rewrites the database
 * (with the recovery secret, say), or puts an older copy of it back, cannot move the seal to
 * match: the next open finds the contradiction and the log records it (docs/store.md, "Audit seal").
 */
export const SEAL_KEY_FILE = 'audit-seal.key';
export const sealPath = (dbPath: string) => `${dbPath}.seal`;
const sealKeyPath = (dbPath: string) => join(dirname(dbPath), SEAL_KEY_FILE);

const Hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));
const SealSchema = z
  .object({
    format: z.literal('enclave-audit-seal/1'),
    databaseId: z.string().max(64),
    seq: z.number().int().nonnegative(),
    lastMac: Hex(32),
    sealedAt: z.string().max(64),
    mac: Hex(32),
  })
  .strict();
export type AuditSeal = z.infer<typeof SealSchema>;

/** How the log in the database stands against the seal. */
export type SealCheck =
  | { state: 'sealed' }
  /** The workstation never sealed this log (a new store, or one from before seals). */
  | { state: 'unsealed' }
  | { state: 'contradicted'; message: string; sealed: { seq: number; at: string } | null };

export class AuditSealer {
  readonly #dbPath: string;
  readonly #databaseId: string;
  #key: Buffer | null = null;

  constructor(dbPath: string, databaseId: string) {
    this.#dbPath = dbPath;
    this.#databaseId = databaseId;
  }

  /** The workstation's seal key, created (0600) the first time a log is sealed here. */
  #sealKey(): Buffer {
    if (this.#key) return this.#key;
    const path = sealKeyPath(this.#dbPath);
    if (!existsSync(path)) writeFileDurably(path, `${randomBytes(32).toString('hex')}\n`);
    const text = readFileSync(path, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/.test(text)) throw new Error(`${path} is not an Enclave audit seal key.`);
    this.#key = Buffer.from(text, 'hex');
    return this.#key;
  }

  #macOf(seal: Omit<AuditSeal, 'mac'>): Buffer {
    const fields = [seal.format, seal.databaseId, String(seal.seq), seal.lastMac, seal.sealedAt].join('\n');
    return hmacSha256(this.#sealKey())(Buffer.from(fields));
  }

  /** Seals the log as ending at entry `seq` with authentication code `lastMac` (written atomically). */
  seal(seq: number, lastMac: Buffer): void {
    const body = {
      format: 'enclave-audit-seal/1' as const,
      databaseId: this.#databaseId,
      seq,
      lastMac: lastMac.toString('hex'),
      sealedAt: new Date().toISOString(),
    };
    writeFileDurably(
      sealPath(this.#dbPath),
      `${JSON.stringify({ ...body, mac: this.#macOf(body).toString('hex') })}\n`,
    );
  }

  /**
   * Compares the log's end (`headSeq`) with the seal; `macAt` reads the stored authentication code
   * of an entry (null when there is none). A log may run past its seal (a crash between the
   * database's commit and the seal's write) but never end before it or differ at it.
   */
  check(headSeq: number, macAt: (seq: number) => Buffer | null): SealCheck {
    const path = sealPath(this.#dbPath);
    if (!existsSync(path)) {
      // A workstation that has sealed a log before does not lose the seal by accident.
      if (!existsSync(sealKeyPath(this.#dbPath))) return { state: 'unsealed' };
      return { state: 'contradicted', message: 'the seal of the audit log is missing', sealed: null };
    }
    let seal: AuditSeal;
    try {
      seal = SealSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
    } catch {
      return { state: 'contradicted', message: 'the seal of the audit log is damaged', sealed: null };
    }
    const { mac, ...body } = seal;
    const expected = this.#macOf(body);
    if (!timingSafeEqual(expected, Buffer.from(mac, 'hex')))
      return { state: 'contradicted', message: 'the seal of the audit log was altered', sealed: null };
    const sealed = { seq: seal.seq, at: seal.sealedAt };
    if (seal.databaseId !== this.#databaseId)
      return { state: 'contradicted', message: `the seal belongs to another store (${seal.databaseId})`, sealed };
    if (headSeq < seal.seq)
      return {
        state: 'contradicted',
        message: `the log ends at entry ${headSeq}, but this workstation sealed it at entry ${seal.seq} (${seal.sealedAt}): an older copy of the store was put back`,
        sealed,
      };
    const stored = seal.seq === 0 ? Buffer.alloc(32) : macAt(seal.seq);
    if (!stored || !stored.equals(Buffer.from(seal.lastMac, 'hex')))
      return {
        state: 'contradicted',
        message: `entry ${seal.seq} is not the one this workstation sealed (${seal.sealedAt}): the log was rewritten`,
        sealed,
      };
    return { state: 'sealed' };
  }
}
