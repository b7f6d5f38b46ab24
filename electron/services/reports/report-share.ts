import type { RequestOf } from '../../../common/ipc/contract';
import { enabledUser } from '../../db/queries/models';
import * as q from '../../db/queries/reports';
import { roleGrantee, userGrantee } from '../models/model-access';
import { ServiceError } from '../service-error';
import type { Workspace } from '../vault/vault-service';

type Grant = RequestOf<'reports', 'share'>['grants'][number];

const granteeOf = (grant: Grant) =>
  'user' in grant.grantee ? userGrantee(grant.grantee.user) : roleGrantee(grant.grantee.role);

const grantOf = (row: q.ReportShareRow): Grant => {
  const [kind, value] = row.grantee.split(':') as [string, string];
  return {
    grantee: kind === 'user' ? { user: Number(value) } : { role: value as 'viewer' | 'analyst' | 'admin' },
    access: row.access,
  };
};

/** A report's grants as the share channel takes them. */
export const reportGrantsOf = (ws: Workspace, id: number): Grant[] => q.reportSharesOf.all(ws.db, id).map(grantOf);

/** Replaces a report's grants (as models.share does): each named user must exist and be enabled. */
export function shareReport(ws: Workspace, id: number, grants: Grant[], record: (grants: string) => void) {
  const unknown = grants
    .map((g, i) => ({ g, i }))
    .filter(({ g }) => 'user' in g.grantee && !enabledUser.get(ws.db, g.grantee.user));
  if (unknown.length > 0)
    throw new ServiceError(
      'INVALID_ARGUMENT',
      'Some users named are not enabled users of this workstation. Nothing was shared.',
      unknown.map(({ g, i }) => ({ path: `grants.${i}.grantee.user`, message: `no enabled user ${granteeOf(g)}` })),
    );
  return ws.db.transaction(() => {
    q.clearReportShares.run(ws.db, id);
    const kept = new Map(grants.map((g) => [granteeOf(g), g.access]));
    for (const [grantee, access] of kept) q.insertReportShare.run(ws.db, id, grantee, access);
    record([...kept].map(([grantee, access]) => `${grantee}=${access}`).join(', '));
    return { grants: reportGrantsOf(ws, id) };
  })();
}
