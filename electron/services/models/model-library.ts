import { MODEL_TRASH_DAYS } from '../../../common/ipc/channels/models';
import type { ModelAccess, ResponseOf } from '../../../common/ipc/contract';
import { ModelSchema, type Model } from '../../../common/model/model';
import * as q from '../../db/queries/models';
import { ServiceError } from '../service-error';
import type { Workspace } from '../vault/vault-service';
import { accessOf, canEdit, canRead, roleGrantee, userGrantee } from './model-access';
import { canonicalJson, sha256Hex } from './model-canonical';

/** How long a model stays in the trash before it is securely deleted (the renderer counts the days left with it). */
export const TRASH_DAYS = MODEL_TRASH_DAYS;

export type Summary = ResponseOf<'models', 'list'>['models'][number];
export type Version = ResponseOf<'models', 'versions'>['versions'][number];

export const summaryOf = (row: q.ModelRow, access: ModelAccess): Summary => ({
  id: row.id,
  name: row.name,
  banner: row.banner,
  owner: { id: row.ownerId, name: row.ownerName },
  updatedAt: row.updatedAt,
  versions: row.versions,
  access,
  deletedAt: row.deletedAt,
});

/** Who the audit names: the actor, and the user's name in the detail. */
export const by = (ws: Workspace) => ({ actor: ws.user.actor, name: ws.user.displayName });

/** A model the user may see, with their access; the same refusal whether it does not exist or is not theirs. */
export function findModel(ws: Workspace, id: number, opts: { trashed?: boolean } = {}) {
  const row = q.modelById.get(ws.db, id);
  const access = row ? accessOf(ws.user, row.ownerId, q.sharesOf.all(ws.db, id)) : null;
  if (!row || !access) throw new ServiceError('FORBIDDEN', `There is no model ${id} that you may see.`);
  if (!opts.trashed && row.deletedAt)
    throw new ServiceError('FAILED_PRECONDITION', `"${row.name}" is in the trash: restore it first.`);
  if (opts.trashed && !row.deletedAt)
    throw new ServiceError('FAILED_PRECONDITION', `"${row.name}" is not in the trash.`);
  return { row, access };
}

export function readable(ws: Workspace, id: number) {
  const found = findModel(ws, id);
  if (found.access === 'manage')
    throw new ServiceError(
      'FORBIDDEN',
      `"${found.row.name}" is not shared with you: an administrator manages models but reads only those shared with them.`,
    );
  if (!canRead(found.access)) throw new ServiceError('FORBIDDEN', `There is no model ${id} that you may see.`);
  return found;
}

export function editable(ws: Workspace, id: number) {
  const found = readable(ws, id);
  if (!canEdit(found.access))
    throw new ServiceError('FORBIDDEN', `"${found.row.name}" is shared with you to read, not to change.`);
  return found;
}

/** The signed-in user's id, which owns and authors models: a recovery-secret session has none. */
export function authorId(ws: Workspace): number {
  if (ws.user.id === null)
    throw new ServiceError(
      'FAILED_PRECONDITION',
      'Sign in with your card to keep models: the recovery secret has no user.',
    );
  return ws.user.id;
}

export function version(ws: Workspace, id: number, number?: number): q.VersionBodyRow {
  const n = number ?? q.latestVersionNo.get(ws.db, id)?.version ?? 0;
  const row = q.versionBody.get(ws.db, id, n);
  if (!row) throw new ServiceError('INVALID_ARGUMENT', `Model ${id} has no version ${n}.`);
  return row;
}

/** A kept body, parsed again (it was checked when saved). */
export const modelOf = (row: q.VersionBodyRow): Model => ModelSchema.parse(JSON.parse(row.body));

const versionOf = ({ body: _body, ...rest }: q.VersionBodyRow): Version => rest;

/** Appends a version (the next number) and updates the model's name, banner and time: one transaction. */
export function appendVersion(ws: Workspace, id: number, model: Model, banner: string, comment: string, now: Date) {
  const body = canonicalJson(model);
  const at = now.toISOString();
  const next = (q.latestVersionNo.get(ws.db, id)?.version ?? 0) + 1;
  q.insertVersion.run(ws.db, id, next, authorId(ws), banner, body, comment, sha256Hex(body), at);
  q.touchModel.run(ws.db, model.name, banner, at, id);
  return versionOf(version(ws, id, next));
}

export function newModel(ws: Workspace, model: Model, banner: string, comment: string, now: Date) {
  const at = now.toISOString();
  const id = Number(q.insertModel.run(ws.db, authorId(ws), model.name, banner, at, at).lastInsertRowid);
  const first = appendVersion(ws, id, model, banner, comment, now);
  return { id, version: first };
}

export function summaryById(ws: Workspace, id: number): Summary {
  const row = q.modelById.get(ws.db, id)!;
  return summaryOf(row, accessOf(ws.user, row.ownerId, q.sharesOf.all(ws.db, id))!);
}

/** The list: own, shared with the user or their role, or all for an administrator; `search` matches the name. */
export function listModels(ws: Workspace, search: string | undefined, trash: boolean): Summary[] {
  const pattern = `%${(search ?? '').replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const user = ws.user;
  const grants = new Map<number, 'read' | 'edit'>();
  const rows = q.visibleModels.all(
    ws.db,
    trash ? 1 : 0,
    user.id ?? -1,
    user.role === 'admin' ? 1 : 0,
    userGrantee(user.id),
    roleGrantee(user.role),
    pattern,
  );
  for (const g of q.grantsTo.all(ws.db, userGrantee(user.id), roleGrantee(user.role)))
    if (grants.get(g.modelId) !== 'edit') grants.set(g.modelId, g.access);
  return rows.map((row) => summaryOf(row, row.ownerId === user.id ? 'owner' : (grants.get(row.id) ?? 'manage')));
}

export { versionOf };
