import { sql } from './sql';

/** The `models`, `model_versions` and `model_shares` tables: the model library (docs/models.md). */
export interface ModelRow {
  id: number;
  ownerId: number;
  ownerName: string;
  name: string;
  banner: string;
  updatedAt: string;
  deletedAt: string | null;
  versions: number;
}

export interface VersionRow {
  version: number;
  author: string;
  createdAt: string;
  comment: string;
  banner: string;
  sha256: string;
}

export interface VersionBodyRow extends VersionRow {
  body: string;
}

export interface ShareRow {
  grantee: string;
  access: 'read' | 'edit';
}

const MODEL_COLUMNS = `m.id, m.owner_id AS ownerId, u.display_name AS ownerName, m.name, m.marking AS banner,
  m.updated_at AS updatedAt, m.deleted_at AS deletedAt,
  (SELECT count(*) FROM model_versions v WHERE v.model_id = m.id) AS versions
  FROM models m JOIN users u ON u.id = m.owner_id`;

export const modelById = sql<[id: number], ModelRow>(`SELECT ${MODEL_COLUMNS} WHERE m.id = ?`);

/**
 * The models a user sees in the list: their own, those granted to them or their role, or every one
 * for an administrator (who manages them; reading the content is decided per model by the service).
 * `trash` 1 lists the trash, 0 the library; `pattern` is a LIKE pattern on the name.
 */
export const visibleModels = sql<
  [trash: number, ownerId: number, everyone: number, userGrantee: string, roleGrantee: string, pattern: string],
  ModelRow
>(
  `SELECT ${MODEL_COLUMNS}
   WHERE (m.deleted_at IS NOT NULL) = ?
     AND (m.owner_id = ? OR ? OR EXISTS (SELECT 1 FROM model_shares s WHERE s.model_id = m.id AND s.grantee IN (?, ?)))
     AND m.name LIKE ? ESCAPE '\\'
   ORDER BY m.updated_at DESC, m.id DESC`,
);

export const insertModel = sql<[ownerId: number, name: string, banner: string, createdAt: string, updatedAt: string]>(
  'INSERT INTO models (owner_id, name, marking, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
);
export const touchModel = sql<[name: string, banner: string, updatedAt: string, id: number]>(
  'UPDATE models SET name = ?, marking = ?, updated_at = ? WHERE id = ?',
);
export const renameModel = sql<[name: string, updatedAt: string, id: number]>(
  'UPDATE models SET name = ?, updated_at = ? WHERE id = ?',
);
export const setModelDeleted = sql<[deletedAt: string | null, deletedBy: string | null, id: number]>(
  'UPDATE models SET deleted_at = ?, deleted_by = ? WHERE id = ?',
);
/** Models in the trash since before the cutoff: their versions and grants go with them (ON DELETE CASCADE). */
export const purgeTrashedBefore = sql<[cutoff: string], { id: number; name: string }>(
  'DELETE FROM models WHERE deleted_at IS NOT NULL AND deleted_at < ? RETURNING id, name',
);

const VERSION_COLUMNS = `v.version, u.display_name AS author, v.created_at AS createdAt, v.comment,
  v.marking AS banner, v.sha256 FROM model_versions v JOIN users u ON u.id = v.owner_id`;

export const insertVersion = sql<
  [
    modelId: number,
    version: number,
    authorId: number,
    banner: string,
    body: string,
    comment: string,
    sha256: string,
    createdAt: string,
  ]
>(
  'INSERT INTO model_versions (model_id, version, owner_id, marking, body, comment, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
);
export const versionList = sql<[modelId: number], VersionRow>(
  `SELECT ${VERSION_COLUMNS} WHERE v.model_id = ? ORDER BY v.version DESC`,
);
export const versionBody = sql<[modelId: number, version: number], VersionBodyRow>(
  `SELECT ${VERSION_COLUMNS.replace('v.sha256', 'v.sha256, v.body')} WHERE v.model_id = ? AND v.version = ?`,
);
export const latestVersionNo = sql<[modelId: number], { version: number | null }>(
  'SELECT max(version) AS version FROM model_versions WHERE model_id = ?',
);

export const sharesOf = sql<[modelId: number], ShareRow>(
  'SELECT grantee, access FROM model_shares WHERE model_id = ? ORDER BY grantee',
);
export const clearShares = sql<[modelId: number]>('DELETE FROM model_shares WHERE model_id = ?');
export const insertShare = sql<[modelId: number, grantee: string, access: string]>(
  'INSERT INTO model_shares (model_id, grantee, access) VALUES (?, ?, ?)',
);

/** A grantee checked before a grant is kept: an enabled user. */
export const enabledUser = sql<[id: number], { id: number; displayName: string }>(
  'SELECT id, display_name AS displayName FROM users WHERE id = ? AND disabled_at IS NULL',
);

/** The enabled users a model may be shared with, by name: what the share form shows, nothing of their cards. */
export const shareableUsers = sql<
  [exceptId: number],
  { id: number; name: string; role: 'viewer' | 'analyst' | 'admin' }
>('SELECT id, display_name AS name, role FROM users WHERE disabled_at IS NULL AND id <> ? ORDER BY display_name, id');

/** Every grant to a user or their role: the list's access column in one query. */
export const grantsTo = sql<[userGrantee: string, roleGrantee: string], { modelId: number; access: 'read' | 'edit' }>(
  'SELECT model_id AS modelId, access FROM model_shares WHERE grantee IN (?, ?)',
);

/** A version by its row id, with its model's id and name (bundle imports refer to versions by row). */
export const versionById = sql<[id: number], { modelId: number; version: number; name: string }>(
  'SELECT v.model_id AS modelId, v.version, m.name FROM model_versions v JOIN models m ON m.id = v.model_id WHERE v.id = ?',
);
