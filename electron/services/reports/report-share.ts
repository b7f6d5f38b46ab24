import * as q from '../../db/queries/reports';
import { grantsIn, replaceGrants, type Grant, type GrantTable } from '../models/model-share';
import type { Workspace } from '../vault/vault-service';

const reportGrants = (ws: Workspace, id: number): GrantTable => ({
  list: () => q.reportSharesOf.all(ws.db, id),
  clear: () => q.clearReportShares.run(ws.db, id),
  insert: (grantee, access) => q.insertReportShare.run(ws.db, id, grantee, access),
});

/** A report's grants as the share channel takes them. */
export const reportGrantsOf = (ws: Workspace, id: number): Grant[] => grantsIn(reportGrants(ws, id));

/** Replaces a report's grants, as models.share does. */
export const shareReport = (ws: Workspace, id: number, grants: Grant[], record: (grants: string) => void) =>
  replaceGrants(ws, reportGrants(ws, id), grants, record);
