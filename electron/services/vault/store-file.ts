import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { createDatabase, openDatabase } from '../../db/connection';
import { migrate, schemaVersion } from '../../db/migrate';
import { auditChainEnd } from '../../db/queries/audit';
import { deleteRunsBefore, deleteUserData } from '../../db/queries/retention';
import { copyInto, insertStoreIdentity, rowCount, STORE_TABLES, storedAuditKey } from '../../db/queries/vault';
import { AuditLog } from '../audit/audit-log';
import { AuditSealer } from '../audit/audit-seal';
import {
  auditKeyFrom,
  createCardSlot,
  createRecoverySlot,
  databaseKey,
  DEFAULT_SCRYPT,
  keyCheck,
  openCardSlot,
  openRecoverySlot,
  readKeyHeader,
  verifyKeyCheck,
  writeKeyHeader,
  type CardOperations,
  type KeyHeader,
  type RecoverySlot,
} from './keyslots';
import { generateRecoverySecret } from './recovery-secret';
import { StoreError } from '../../db/store-error';

export type Unlock = { recoverySecret: string } | { card: { slotId: string; operations: CardOperations } };
export type ScryptCost = { N: number; r: number; p: number };

export const keysPath = (dbPath: string) => `${dbPath}.keys`;
const pendingKeysPath = (dbPath: string) => `${dbPath}.keys.pending`;

function unlockDataKey(header: KeyHeader, unlock: Unlock, what: string): Buffer {
  let dataKey: Buffer | null;
  if ('recoverySecret' in unlock) {
    const slot = header.slots.find((s): s is RecoverySlot => s.type === 'recovery');
    if (!slot) throw new StoreError('WRONG_SECRET', `${what} has no recovery slot.`);
    dataKey = openRecoverySlot(slot, header.databaseId, unlock.recoverySecret);
    if (!dataKey) throw new StoreError('WRONG_SECRET', `The recovery secret does not unlock ${what}.`);
  } else {
    const slot = header.slots.find((s) => s.type === 'card' && s.id === unlock.card.slotId);
    if (!slot || slot.type !== 'card') throw new StoreError('NO_SUCH_SLOT', `${what} has no key slot for this card.`);
    dataKey = openCardSlot(slot, header.databaseId, unlock.card.operations);
    if (!dataKey) throw new StoreError('WRONG_SECRET', `This card does not unlock ${what}.`);
  }
  if (!verifyKeyCheck(header, dataKey))
    throw new StoreError('KEYSLOTS_INVALID', `The key slots of ${what} do not match their key check.`);
  return dataKey;
}

/**
 * The encrypted store file: one SQLCipher file (`enclave.db`) and its key-slot file
 * (`enclave.db.keys`). The data key lives only in this object's memory while it is open. In the
 * service worker the vault (vault-service.ts) holds the one that is open; the CLI opens its own.
 */
export class StoreFile {
  readonly audit: AuditLog;

  private constructor(
    readonly path: string,
    readonly db: Database,
    private header: KeyHeader,
    private dataKey: Buffer,
  ) {
    const stored = storedAuditKey(db);
    if (stored === null) throw new StoreError('NOT_ENCLAVE', `${path} has no audit key: it was not set up by Enclave.`);
    this.audit = new AuditLog(db, Buffer.from(stored, 'hex'), new AuditSealer(path, header.databaseId));
  }

  /** Creates a new store; the recovery secret is returned once and never stored. */
  static create(
    path: string,
    options: { actor: string; recoverySecret?: string; scrypt?: ScryptCost },
  ): { store: StoreFile; recoverySecret: string } {
    if (existsSync(path) || existsSync(keysPath(path)))
      throw new StoreError('ALREADY_EXISTS', `${path} already exists; refusing to overwrite it.`);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const recoverySecret = options.recoverySecret ?? generateRecoverySecret();
    const dataKey = randomBytes(32);
    const databaseId = randomUUID();
    const header: KeyHeader = {
      format: 'enclave-keyslots/1',
      databaseId,
      keyCheck: keyCheck(dataKey),
      slots: [createRecoverySlot(dataKey, databaseId, recoverySecret, options.scrypt ?? DEFAULT_SCRYPT)],
    };
    writeKeyHeader(keysPath(path), header);
    const db = createDatabase(path, databaseKey(dataKey, databaseId));
    migrate(db);
    insertStoreIdentity(db, databaseId, auditKeyFrom(dataKey, databaseId).toString('hex'));
    const store = new StoreFile(path, db, header, dataKey);
    store.audit.append({
      actor: options.actor,
      event: 'setup',
      outcome: 'success',
      detail: { schema: schemaVersion(db) },
    });
    return { store, recoverySecret };
  }

  static open(path: string, unlock: Unlock): StoreFile {
    if (!existsSync(path)) throw new StoreError('NO_DATABASE', `There is no Enclave database at ${path}.`);
    const header = readKeyHeader(keysPath(path));
    const dataKey = unlockDataKey(header, unlock, path);
    let db: Database;
    try {
      db = openDatabase(path, databaseKey(dataKey, header.databaseId));
    } catch (error) {
      // A key rotation cut short after the rekey: the pending key file holds the new key.
      if (!(error instanceof StoreError) || error.code !== 'CORRUPT' || !existsSync(pendingKeysPath(path))) throw error;
      const pending = readKeyHeader(pendingKeysPath(path));
      const newKey = unlockDataKey(pending, unlock, path);
      db = openDatabase(path, databaseKey(newKey, pending.databaseId));
      renameSync(pendingKeysPath(path), keysPath(path));
      migrate(db);
      return StoreFile.#opened(path, db, pending, newKey);
    }
    if (existsSync(pendingKeysPath(path))) unlinkSync(pendingKeysPath(path)); // a rotation that never reached the rekey
    migrate(db);
    return StoreFile.#opened(path, db, header, dataKey);
  }

  /** An opened store, its audit log checked against the workstation's seal (a contradiction is recorded in it). */
  static #opened(path: string, db: Database, header: KeyHeader, dataKey: Buffer): StoreFile {
    const store = new StoreFile(path, db, header, dataKey);
    try {
      store.audit.reconcileSeal();
    } catch (error) {
      store.close();
      throw error;
    }
    return store;
  }

  close(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
    this.dataKey.fill(0);
  }

  get slots(): ReadonlyArray<{ id: string; type: string; createdAt: string; label?: string }> {
    return this.header.slots.map((s) => ({
      id: s.id,
      type: s.type,
      createdAt: s.createdAt,
      ...(s.type === 'card' ? { label: s.label } : {}),
    }));
  }

  status() {
    return {
      path: this.path,
      databaseId: this.header.databaseId,
      bytes: statSync(this.path).size,
      schema: schemaVersion(this.db),
      cipher: String(this.db.pragma('cipher', { simple: true })),
      journalMode: String(this.db.pragma('journal_mode', { simple: true })),
      slots: this.slots,
      rows: Object.fromEntries(STORE_TABLES.map((t) => [t, rowCount(this.db, t)])),
    };
  }

  private saveHeader(header: KeyHeader): void {
    writeKeyHeader(keysPath(this.path), header);
    this.header = header;
  }

  /** Adds a slot wrapping the data key to a card's key-management public key (SPKI DER). */
  addCardSlot(id: string, label: string, publicKeyDer: Buffer, actor: string): void {
    if (this.header.slots.some((s) => s.id === id))
      throw new StoreError('ALREADY_EXISTS', `There is already a key slot ${id}.`);
    this.saveHeader({
      ...this.header,
      slots: [...this.header.slots, createCardSlot(this.dataKey, this.header.databaseId, id, label, publicKeyDer)],
    });
    this.audit.append({ actor, event: 'keyslot.add', object: id, outcome: 'success', detail: { type: 'card', label } });
  }

  /** Replaces the recovery slot: the old secret stops working. */
  setRecoverySecret(secret: string, actor: string, cost: ScryptCost = DEFAULT_SCRYPT): void {
    const others = this.header.slots.filter((s) => s.type !== 'recovery');
    this.saveHeader({
      ...this.header,
      slots: [createRecoverySlot(this.dataKey, this.header.databaseId, secret, cost), ...others],
    });
    this.audit.append({
      actor,
      event: 'keyslot.add',
      object: 'recovery',
      outcome: 'success',
      detail: { type: 'recovery', replaced: true },
    });
  }

  removeSlot(id: string, actor: string): void {
    if (!this.header.slots.some((s) => s.id === id))
      throw new StoreError('NO_SUCH_SLOT', `There is no key slot ${id}.`);
    if (this.header.slots.length === 1)
      throw new StoreError('LAST_SLOT', `Key slot ${id} is the last way in; add another before removing it.`);
    this.saveHeader({ ...this.header, slots: this.header.slots.filter((s) => s.id !== id) });
    this.audit.append({ actor, event: 'keyslot.remove', object: id, outcome: 'success' });
  }

  /**
   * Re-encrypts the database under a new random data key and rewraps every slot (the recovery
   * slot needs its secret; card slots use their public keys). Crash-safe: the new key file is
   * written first as `.keys.pending`, the rekey runs in a rollback journal, then the file is promoted.
   */
  rotateKey(recoverySecret: string, actor: string, cost?: ScryptCost): void {
    const recovery = this.header.slots.find((s): s is RecoverySlot => s.type === 'recovery');
    if (!recovery || !openRecoverySlot(recovery, this.header.databaseId, recoverySecret))
      throw new StoreError(
        'WRONG_SECRET',
        'The recovery secret is needed to rotate the key, and this one does not unlock the store.',
      );
    const newKey = randomBytes(32);
    const id = this.header.databaseId;
    const slots = this.header.slots.map((slot) =>
      slot.type === 'recovery'
        ? createRecoverySlot(newKey, id, recoverySecret, cost ?? { N: slot.kdf.N, r: slot.kdf.r, p: slot.kdf.p })
        : createCardSlot(newKey, id, slot.id, slot.label, Buffer.from(slot.publicKey, 'base64')),
    );
    const header: KeyHeader = { ...this.header, keyCheck: keyCheck(newKey), slots };
    writeKeyHeader(pendingKeysPath(this.path), header);
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.pragma('journal_mode = DELETE'); // rekey refuses WAL mode
    this.db.pragma(`rekey="x'${databaseKey(newKey, id).toString('hex')}'"`);
    this.db.pragma('journal_mode = WAL');
    renameSync(pendingKeysPath(this.path), keysPath(this.path));
    this.header = header;
    this.dataKey.fill(0);
    this.dataKey = newKey;
    this.audit.append({ actor, event: 'key.rotate', outcome: 'success', detail: { slots: slots.length } });
  }

  /**
   * Writes an encrypted backup (`VACUUM INTO`) and its key file, then proves it: it opens with
   * its key, passes integrity_check, and has the same schema and row counts as the live store.
   * With a recovery secret, the backup gets its own data key, unlocked only by that secret.
   */
  backup(
    destination: string,
    actor: string,
    options: { recoverySecret?: string; scrypt?: ScryptCost } = {},
  ): { path: string; bytes: number } {
    if (existsSync(destination) || existsSync(keysPath(destination)))
      throw new StoreError('ALREADY_EXISTS', `${destination} already exists; refusing to overwrite it.`);
    const temp = `${destination}.partial`;
    rmSync(temp, { force: true });
    try {
      copyInto(this.db, temp);
      let header = this.header;
      let pageKey = databaseKey(this.dataKey, this.header.databaseId);
      if (options.recoverySecret) {
        const backupKey = randomBytes(32);
        header = {
          format: 'enclave-keyslots/1',
          databaseId: this.header.databaseId,
          keyCheck: keyCheck(backupKey),
          slots: [
            createRecoverySlot(
              backupKey,
              this.header.databaseId,
              options.recoverySecret,
              options.scrypt ?? DEFAULT_SCRYPT,
            ),
          ],
        };
        const copy = openDatabase(temp, pageKey);
        pageKey = databaseKey(backupKey, this.header.databaseId);
        copy.pragma('journal_mode = DELETE');
        copy.pragma(`rekey="x'${pageKey.toString('hex')}'"`);
        copy.close();
      }
      const copy = openDatabase(temp, pageKey, { readonly: true });
      try {
        const integrity = copy.pragma('integrity_check', { simple: true });
        const same =
          schemaVersion(copy) === schemaVersion(this.db) &&
          STORE_TABLES.every((t) => rowCount(copy, t) === rowCount(this.db, t));
        if (integrity !== 'ok' || !same)
          throw new StoreError(
            'BACKUP_FAILED',
            `The backup did not verify (${integrity !== 'ok' ? String(integrity) : 'row counts differ'}); it was not kept.`,
          );
      } finally {
        copy.close();
      }
      writeKeyHeader(keysPath(destination), header);
      renameSync(temp, destination);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
    this.audit.append({
      actor,
      event: 'backup',
      object: destination,
      outcome: 'success',
      detail: { ownSecret: Boolean(options.recoverySecret) },
    });
    return { path: destination, bytes: statSync(destination).size };
  }

  /**
   * Restores a backup over the store at `livePath` (which must be closed). The backup is unlocked,
   * checked (schema not newer, integrity_check) and copied beside the live file; only a copy that
   * passes integrity_check replaces the live database.
   */
  static restore(backupPath: string, livePath: string, unlock: Unlock): void {
    const { header, dataKey, pageKey } = StoreFile.#unlockBackup(backupPath, unlock);
    const staged = `${livePath}.restoring`;
    rmSync(staged, { force: true });
    try {
      copyFileSync(backupPath, staged);
      chmodSync(staged, 0o600); // a backup copied in with looser modes is the owner's alone once live
      const check = openDatabase(staged, pageKey, { readonly: true });
      const integrity = check.pragma('integrity_check', { simple: true });
      check.close();
      if (integrity !== 'ok')
        throw new StoreError(
          'CORRUPT',
          `The restored copy failed integrity_check (${String(integrity)}); the live database was not touched.`,
        );
      for (const sidecar of [`${livePath}-wal`, `${livePath}-shm`]) rmSync(sidecar, { force: true });
      writeKeyHeader(`${keysPath(livePath)}.restoring`, header);
      renameSync(staged, livePath);
      renameSync(`${keysPath(livePath)}.restoring`, keysPath(livePath));
      // A restore made here is no rollback: the seal moves to where the restored log ends.
      const restored = openDatabase(livePath, pageKey, { readonly: true });
      const end = auditChainEnd(restored);
      restored.close();
      new AuditSealer(livePath, header.databaseId).seal(end?.seq ?? 0, end?.last_mac ?? Buffer.alloc(32));
    } catch (error) {
      rmSync(staged, { force: true });
      throw error;
    } finally {
      dataKey.fill(0);
    }
  }

  /** Whether `unlock` opens the backup at `backupPath` (StoreError when not), changing nothing. */
  static checkBackup(backupPath: string, unlock: Unlock): void {
    StoreFile.#unlockBackup(backupPath, unlock).dataKey.fill(0);
  }

  static #unlockBackup(backupPath: string, unlock: Unlock) {
    if (!existsSync(backupPath)) throw new StoreError('NO_DATABASE', `There is no backup at ${backupPath}.`);
    const header = readKeyHeader(keysPath(backupPath));
    const dataKey = unlockDataKey(header, unlock, backupPath);
    const pageKey = databaseKey(dataKey, header.databaseId);
    try {
      openDatabase(backupPath, pageKey, { readonly: true }).close();
    } catch (error) {
      dataKey.fill(0);
      throw error;
    }
    return { header, dataKey, pageKey };
  }

  /** Deletes runs older than `days` (the site's retention policy for runs). */
  applyRunRetention(days: number, actor: string): number {
    const cutoff = new Date(Date.now() - days * 86_400_000).toISOString();
    const removed = deleteRunsBefore(this.db, cutoff);
    this.audit.append({ actor, event: 'retention', object: 'runs', outcome: 'success', detail: { days, removed } });
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return removed;
  }

  /** Deletes a user's data so that no readable trace remains in the file (secure_delete, then a truncating checkpoint). */
  deleteUserData(userId: number, actor: string) {
    const removed = deleteUserData(this.db, userId);
    this.audit.append({ actor, event: 'object.delete', object: `user:${userId}`, outcome: 'success', detail: removed });
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return removed;
  }

  /** integrity_check, foreign keys, and the audit chain. */
  verify() {
    const integrity = String(this.db.pragma('integrity_check', { simple: true }));
    const foreignKeys = (this.db.pragma('foreign_key_check') as unknown[]).length;
    return { integrity, foreignKeyViolations: foreignKeys, audit: this.audit.verify() };
  }
}
