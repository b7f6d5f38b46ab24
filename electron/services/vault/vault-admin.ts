import { isAbsolute } from 'node:path';
import type { RequestOf, ResponseOf } from '../../../common/ipc/contract';
import { StoreError } from '../../db/store-error';
import type { ServiceContext } from '../context';
import type { ServiceCall } from '../service-call';
import { ServiceError } from '../service-error';
import { generateRecoverySecret } from './recovery-secret';
import { StoreFile } from './store-file';

/** A store that refuses (wrong secret, damaged backup, file exists) is the caller's to fix, in the store's words. */
function storeRefusal<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof StoreError) throw new ServiceError('FAILED_PRECONDITION', error.message);
    throw error;
  }
}

/**
 * Restores a backup over the store at `livePath` (closed) and records, in the restored store's own
 * log, who restored it and from what: a restore is never invisible.
 */
export function restoreStore(backupPath: string, backupName: string, livePath: string, secret: string, actor: string) {
  storeRefusal(() => {
    StoreFile.restore(backupPath, livePath, { recoverySecret: secret });
    const restored = StoreFile.open(livePath, { recoverySecret: secret });
    try {
      restored.audit.append({ actor, event: 'restore', object: backupName, outcome: 'success', detail: {} });
    } finally {
      restored.close();
    }
  });
}

/**
 * The vault.* channels: the administrator's care of the encrypted store. The router has checked
 * store.manage; each operation runs on the signed-in store file and is audited with the user's name.
 */
export function createVaultAdminService(ctx: ServiceContext) {
  return {
    status(): ResponseOf<'vault', 'status'> {
      const status = ctx.vault.storeFile().status();
      return { ...status, slots: [...status.slots] };
    },

    verify(): ResponseOf<'vault', 'verify'> {
      const result = ctx.vault.storeFile().verify();
      const audit = result.audit.ok
        ? { ok: true, entries: result.audit.entries, message: `${result.audit.entries} entries; chain intact.` }
        : { ok: false, entries: result.audit.entries, message: result.audit.message };
      const ok = result.integrity === 'ok' && result.foreignKeyViolations === 0 && audit.ok;
      return { ok, integrity: result.integrity, foreignKeyViolations: result.foreignKeyViolations, audit };
    },

    backup(request: RequestOf<'vault', 'backup'>): ResponseOf<'vault', 'backup'> {
      if (!isAbsolute(request.destination))
        throw new ServiceError('INVALID_ARGUMENT', 'Name the backup by its full path (it starts with /).');
      const { user } = ctx.vault.workspace();
      const recoverySecret = request.ownSecret ? generateRecoverySecret() : undefined;
      const written = storeRefusal(() =>
        ctx.vault.storeFile().backup(request.destination, user.actor, recoverySecret ? { recoverySecret } : {}),
      );
      return { ...written, ...(recoverySecret ? { recoverySecret } : {}) };
    },

    restore(request: RequestOf<'vault', 'restore'>, call: ServiceCall): ResponseOf<'vault', 'restore'> {
      const backup = call.file(request.backup);
      const { user, audit } = ctx.vault.workspace();
      // A backup the secret does not open changes nothing, and the session goes on.
      storeRefusal(() => StoreFile.checkBackup(backup.path, { recoverySecret: request.recoverySecret }));
      // The live store's log keeps the attempt, whatever the backup turns out to be.
      audit.append({ actor: user.actor, event: 'restore.begin', object: backup.name, outcome: 'success', detail: {} });
      ctx.login.lock('manual', 'the store was restored from a backup: sign in again');
      restoreStore(backup.path, backup.name, ctx.vault.dbPath, request.recoverySecret, user.actor);
      return { path: ctx.vault.dbPath };
    },

    rotateKey(request: RequestOf<'vault', 'rotateKey'>): ResponseOf<'vault', 'rotateKey'> {
      const { user } = ctx.vault.workspace();
      const file = ctx.vault.storeFile();
      storeRefusal(() => file.rotateKey(request.recoverySecret, user.actor));
      return { slots: file.slots.length };
    },
  };
}
