import type { Database } from 'better-sqlite3-multiple-ciphers';
import { sql } from './sql';

/** The `tuf_metadata`, `update_history` and `update_history_targets` tables (migration 0007). */
export type UpdateState = 'started' | 'applied' | 'interrupted' | 'failed';

export interface UpdateVersions {
  root: number;
  timestamp: number;
  snapshot: number;
  targets: number;
}

export interface UpdateHistoryRow {
  id: number;
  state: UpdateState;
  actor: string;
  startedAt: string;
  endedAt: string | null;
  rootVersion: number;
  timestampVersion: number;
  snapshotVersion: number;
  targetsVersion: number;
  reason: string | null;
}

export interface UpdateTargetRow {
  name: string;
  kind: string;
  sha256: string;
  length: number;
  result: string;
}

const metadataBytes = sql<[role: string], { bytes: Buffer }>('SELECT bytes FROM tuf_metadata WHERE role = ?');
const putMetadata = sql<[role: string, bytes: Buffer, at: string]>(
  'INSERT INTO tuf_metadata (role, bytes, updated_at) VALUES (?, ?, ?) ON CONFLICT(role) DO UPDATE SET bytes = excluded.bytes, updated_at = excluded.updated_at',
);
const removeMetadata = sql<[role: string]>('DELETE FROM tuf_metadata WHERE role = ?');
const insertStarted = sql<
  [actor: string, at: string, root: number, timestamp: number, snapshot: number, targets: number]
>(
  "INSERT INTO update_history (state, actor, started_at, root_version, timestamp_version, snapshot_version, targets_version) VALUES ('started', ?, ?, ?, ?, ?, ?)",
);
const endRow = sql<[state: UpdateState, at: string, reason: string | null, id: number]>(
  'UPDATE update_history SET state = ?, ended_at = ?, reason = ? WHERE id = ?',
);
const insertTarget = sql<[id: number, name: string, kind: string, sha256: string, length: number, result: string]>(
  'INSERT INTO update_history_targets (update_id, name, kind, sha256, length, result) VALUES (?, ?, ?, ?, ?, ?)',
);
const historyColumns =
  'id, state, actor, started_at AS startedAt, ended_at AS endedAt, root_version AS rootVersion, timestamp_version AS timestampVersion, snapshot_version AS snapshotVersion, targets_version AS targetsVersion, reason';
const historyRows = sql<[limit: number], UpdateHistoryRow>(
  `SELECT ${historyColumns} FROM update_history ORDER BY id DESC LIMIT ?`,
);
const startedRows = sql<[], UpdateHistoryRow>(
  `SELECT ${historyColumns} FROM update_history WHERE state = 'started' ORDER BY id`,
);
const targetRows = sql<[id: number], UpdateTargetRow>(
  'SELECT name, kind, sha256, length, result FROM update_history_targets WHERE update_id = ? ORDER BY name',
);

/** A trusted metadata file (or the time floor) by role name, or null. */
export function trustedMetadata(db: Database, role: string): Buffer | null {
  return metadataBytes.get(db, role)?.bytes ?? null;
}

export function putTrustedMetadata(db: Database, role: string, bytes: Buffer, at: string): void {
  putMetadata.run(db, role, bytes, at);
}

export function deleteTrustedMetadata(db: Database, role: string): void {
  removeMetadata.run(db, role);
}

/** Commits an attempt before its transaction, so that one killed half-way is found at the next start. */
export function insertStartedUpdate(db: Database, actor: string, at: string, v: UpdateVersions): number {
  return Number(insertStarted.run(db, actor, at, v.root, v.timestamp, v.snapshot, v.targets).lastInsertRowid);
}

export function endUpdate(db: Database, id: number, state: UpdateState, at: string, reason: string | null): void {
  endRow.run(db, state, at, reason, id);
}

export function insertUpdateTarget(db: Database, id: number, t: UpdateTargetRow): void {
  insertTarget.run(db, id, t.name, t.kind, t.sha256, t.length, t.result);
}

export function updateHistory(db: Database, limit: number): UpdateHistoryRow[] {
  return historyRows.all(db, limit);
}

export function startedUpdates(db: Database): UpdateHistoryRow[] {
  return startedRows.all(db);
}

export function updateTargets(db: Database, id: number): UpdateTargetRow[] {
  return targetRows.all(db, id);
}

const templateModel = sql<[name: string], { modelId: number; sha256: string }>(
  'SELECT model_id AS modelId, sha256 FROM update_models WHERE target_name = ?',
);
const putTemplateModel = sql<[name: string, modelId: number, sha256: string]>(
  'INSERT INTO update_models (target_name, model_id, sha256) VALUES (?, ?, ?) ON CONFLICT(target_name) DO UPDATE SET sha256 = excluded.sha256',
);

/** The library model a model-template target became, and the hash of the body last applied. */
export function modelOfTemplate(db: Database, targetName: string): { modelId: number; sha256: string } | null {
  return templateModel.get(db, targetName) ?? null;
}

export function setModelOfTemplate(db: Database, targetName: string, modelId: number, sha256: string): void {
  putTemplateModel.run(db, targetName, modelId, sha256);
}
