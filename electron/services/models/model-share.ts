import type { RequestOf } from '../../../common/ipc/contract';
import * as q from '../../db/queries/models';
import { ServiceError } from '../service-error';
import type { Workspace } from '../vault/vault-service';
import { roleGrantee, userGrantee } from './model-access';

/** A grant as the share channels (models.share, reports.share) take them. */
export type Grant = RequestOf<'models', 'share'>['grants'][number];

/** Where one kind of object keeps its grants: its own table, the same rows. */
export interface GrantTable {
  list(): readonly q.ShareRow[];
  clear(): void;
  insert(grantee: string, access: Grant['access']): void;
}

const granteeOf = (grant: Grant) =>
  'user' in grant.grantee ? userGrantee(grant.grantee.user) : roleGrantee(grant.grantee.role);

const grantOf = (row: q.ShareRow): Grant => {
  const [kind, value] = row.grantee.split(':') as [string, string];
  return {
    grantee: kind === 'user' ? { user: Number(value) } : { role: value as 'viewer' | 'analyst' | 'admin' },
    access: row.access,
  };
};

/** An object's grants as the share channel takes them. */
export const grantsIn = (table: GrantTable): Grant[] => table.list().map(grantOf);

/** Replaces an object's grants: each named user must exist and be enabled; the owner needs none. */
export function replaceGrants(ws: Workspace, table: GrantTable, grants: Grant[], record: (grants: string) => void) {
  const unknown = grants
    .map((g, i) => ({ g, i }))
    .filter(({ g }) => 'user' in g.grantee && !q.enabledUser.get(ws.db, g.grantee.user));
  if (unknown.length > 0)
    throw new ServiceError(
      'INVALID_ARGUMENT',
      'Some users named are not enabled users of this workstation. Nothing was shared.',
      unknown.map(({ g, i }) => ({ path: `grants.${i}.grantee.user`, message: `no enabled user ${granteeOf(g)}` })),
    );
  return ws.db.transaction(() => {
    table.clear();
    const kept = new Map(grants.map((g) => [granteeOf(g), g.access]));
    for (const [grantee, access] of kept) table.insert(grantee, access);
    record([...kept].map(([grantee, access]) => `${grantee}=${access}`).join(', '));
    return { grants: grantsIn(table) };
  })();
}

const modelGrants = (ws: Workspace, id: number): GrantTable => ({
  list: () => q.sharesOf.all(ws.db, id),
  clear: () => q.clearShares.run(ws.db, id),
  insert: (grantee, access) => q.insertShare.run(ws.db, id, grantee, access),
});

/** A model's grants as the share channel takes them. */
export const grantsOf = (ws: Workspace, id: number): Grant[] => grantsIn(modelGrants(ws, id));

/** Replaces a model's grants. */
export const shareModel = (ws: Workspace, id: number, grants: Grant[], record: (grants: string) => void) =>
  replaceGrants(ws, modelGrants(ws, id), grants, record);
