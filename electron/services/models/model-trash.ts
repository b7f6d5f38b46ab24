import { purgeTrashedBefore } from '../../db/queries/models';
import type { Workspace } from '../vault/vault-service';
import { TRASH_DAYS } from './model-library';

/**
 * Securely deletes models that have been in the trash for TRASH_DAYS: their versions and grants go
 * with them, the store's secure_delete overwrites the freed pages, and a truncating checkpoint
 * leaves no copy in the write-ahead log. Runs before each listing; `now` is the caller's clock.
 */
export function purgeExpiredTrash(ws: Workspace, now: Date): { id: number; name: string }[] {
  const cutoff = new Date(now.getTime() - TRASH_DAYS * 86_400_000).toISOString();
  const purged = ws.db.transaction(() => {
    const rows = purgeTrashedBefore.all(ws.db, cutoff);
    if (rows.length > 0)
      ws.audit.append(
        ...rows.map((row) => ({
          actor: 'system',
          event: 'model.purge',
          object: `model:${row.id}`,
          outcome: 'success' as const,
          detail: { name: row.name, days: TRASH_DAYS },
        })),
      );
    return rows;
  })();
  if (purged.length > 0) ws.db.pragma('wal_checkpoint(TRUNCATE)');
  return purged;
}
