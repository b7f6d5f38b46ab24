import type { Database } from 'better-sqlite3-multiple-ciphers';

/** Runs older than the cutoff; their reports lose the link but stay (a report is its own record). */
export function deleteRunsBefore(db: Database, cutoffIso: string): number {
  return db.prepare('DELETE FROM runs WHERE created_at < ?').run(cutoffIso).changes;
}

/**
 * Removes everything a user owns (models and their versions, runs, reports) and strips the
 * identifying fields from their user row, which stays so the audit log's references resolve.
 * With secure_delete on, SQLite zeroes the freed content.
 */
export function deleteUserData(db: Database, userId: number): { models: number; runs: number; reports: number } {
  return db.transaction(() => {
    const reports = db.prepare('DELETE FROM reports WHERE owner_id = ?').run(userId).changes;
    const runs = db
      .prepare(
        'DELETE FROM runs WHERE owner_id = ? OR model_version_id IN (SELECT v.id FROM model_versions v JOIN models m ON m.id = v.model_id WHERE m.owner_id = ?)',
      )
      .run(userId, userId).changes;
    db.prepare('DELETE FROM model_versions WHERE owner_id = ?').run(userId);
    const models = db.prepare('DELETE FROM models WHERE owner_id = ?').run(userId).changes;
    db.prepare(
      "UPDATE users SET display_name = 'deleted user', edipi = NULL, upn = NULL, uuid = NULL, disabled_at = ? WHERE id = ?",
    ).run(new Date().toISOString(), userId);
    return { models, runs, reports };
  })();
}
