import type { ModelAccess, ReportSummary, ReportVersion } from '../../../common/ipc/contract';
import * as q from '../../db/queries/reports';
import { accessOf, canEdit, canRead, roleGrantee, userGrantee } from '../models/model-access';
import { ServiceError } from '../service-error';
import type { Workspace } from '../vault/vault-service';

export const summaryOf = (row: q.ReportRow, access: ModelAccess): ReportSummary => ({
  id: row.id,
  title: row.title,
  banner: row.banner,
  owner: { id: row.ownerId, name: row.ownerName },
  model: { id: row.modelId, version: row.modelVersion, name: row.modelName },
  updatedAt: row.updatedAt,
  versions: row.versions,
  access,
});

export const versionOf = (row: q.ReportVersionRow): ReportVersion => ({
  version: row.version,
  savedBy: row.savedBy,
  createdAt: row.createdAt,
  comment: row.comment,
  banner: row.banner,
  pdf: { sha256: row.pdfSha256, bytes: row.pdfBytes },
});

/**
 * A report the user may see, with their access (the model library's rules: owner, a grant to the
 * user or their role, or an administrator who manages it). The same refusal whether it does not
 * exist or is not theirs.
 */
export function findReport(ws: Workspace, id: number) {
  const row = q.reportById.get(ws.db, id);
  const access = row ? accessOf(ws.user, row.ownerId, q.reportSharesOf.all(ws.db, id)) : null;
  if (!row || !access) throw new ServiceError('FORBIDDEN', `There is no report ${id} that you may see.`);
  return { row, access };
}

export function readableReport(ws: Workspace, id: number) {
  const found = findReport(ws, id);
  if (found.access === 'manage')
    throw new ServiceError(
      'FORBIDDEN',
      `"${found.row.title}" is not shared with you: an administrator manages reports but reads only those shared with them.`,
    );
  if (!canRead(found.access)) throw new ServiceError('FORBIDDEN', `There is no report ${id} that you may see.`);
  return found;
}

export function editableReport(ws: Workspace, id: number) {
  const found = readableReport(ws, id);
  if (!canEdit(found.access))
    throw new ServiceError('FORBIDDEN', `"${found.row.title}" is shared with you to read, not to change.`);
  return found;
}

/** A kept version (the latest when no number is given), with its definition. */
export function reportVersion(ws: Workspace, id: number, number?: number) {
  const n = number ?? q.latestReportVersionNo.get(ws.db, id)?.version ?? 0;
  const row = q.reportVersion.get(ws.db, id, n);
  if (!row) throw new ServiceError('INVALID_ARGUMENT', `Report ${id} has no version ${n}.`);
  return row;
}

export function reportSummaryById(ws: Workspace, id: number): ReportSummary {
  const row = q.reportById.get(ws.db, id)!;
  return summaryOf(row, accessOf(ws.user, row.ownerId, q.reportSharesOf.all(ws.db, id))!);
}

/** The list: own, shared with the user or their role, or all for an administrator; optionally one model's. */
export function listReports(ws: Workspace, model: number | undefined): ReportSummary[] {
  const user = ws.user;
  const grants = new Map<number, 'read' | 'edit'>();
  for (const g of q.reportGrantsTo.all(ws.db, userGrantee(user.id), roleGrantee(user.role)))
    if (grants.get(g.reportId) !== 'edit') grants.set(g.reportId, g.access);
  const rows = q.visibleReports.all(
    ws.db,
    user.id ?? -1,
    user.role === 'admin' ? 1 : 0,
    userGrantee(user.id),
    roleGrantee(user.role),
    model ?? 0,
    model ?? 0,
  );
  return rows.map((row) => summaryOf(row, row.ownerId === user.id ? 'owner' : (grants.get(row.id) ?? 'manage')));
}
