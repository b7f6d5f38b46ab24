import type { Database } from 'better-sqlite3-multiple-ciphers';
import { sql } from './sql';

const deleteRuns = sql<[cutoffIso: string]>('DELETE FROM runs WHERE created_at < ?');
const deleteReportsOf = sql<[ownerId: number]>('DELETE FROM reports WHERE owner_id = ?');
const deleteRunsOf = sql<[ownerId: number, modelOwnerId: number]>(
  'DELETE FROM runs WHERE owner_id = ? OR model_version_id IN (SELECT v.id FROM model_versions v JOIN models m ON m.id = v.model_id WHERE m.owner_id = ?)',
);
// Versions of the user's own models; what they saved in someone else's model stays part of that model's history.
const deleteVersionsOf = sql<[ownerId: number]>(
  'DELETE FROM model_versions WHERE model_id IN (SELECT id FROM models WHERE owner_id = ?)',
);
const deleteModelsOf = sql<[ownerId: number]>('DELETE FROM models WHERE owner_id = ?');
const stripUser = sql<[disabledAt: string, id: number]>(
  "UPDATE users SET display_name = 'deleted user', edipi = NULL, upn = NULL, uuid = NULL, disabled_at = ? WHERE id = ?",
);

/** Runs older than the cutoff; their reports lose the link but stay (a report is its own record). */
export function deleteRunsBefore(db: Database, cutoffIso: string): number {
  return deleteRuns.run(db, cutoffIso).changes;
}

/**
 * Removes everything a user owns (models and their versions, runs, reports) and strips the
 * identifying fields from their user row, which stays so the audit log's references resolve and
 * the versions they saved in other people's models keep their (now anonymous) author.
 * With secure_delete on, SQLite zeroes the freed content.
 */
export function deleteUserData(db: Database, userId: number): { models: number; runs: number; reports: number } {
  return db.transaction(() => {
    const reports = deleteReportsOf.run(db, userId).changes;
    const runs = deleteRunsOf.run(db, userId, userId).changes;
    deleteVersionsOf.run(db, userId);
    const models = deleteModelsOf.run(db, userId).changes;
    stripUser.run(db, new Date().toISOString(), userId);
    return { models, runs, reports };
  })();
}
