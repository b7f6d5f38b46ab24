import { sql } from './sql';

/** The `reports`, `report_versions` and `report_shares` tables: the report library (docs/reports.md). */
export interface ReportRow {
  id: number;
  ownerId: number;
  ownerName: string;
  title: string;
  banner: string;
  modelId: number;
  modelVersion: number;
  modelName: string;
  updatedAt: string;
  versions: number;
}

export interface ReportVersionRow {
  version: number;
  savedBy: string;
  createdAt: string;
  comment: string;
  banner: string;
  pdfSha256: string;
  pdfBytes: number;
}

export interface ReportShareRow {
  grantee: string;
  access: 'read' | 'edit';
}

const REPORT_COLUMNS = `r.id, r.owner_id AS ownerId, u.display_name AS ownerName, r.title, r.marking AS banner,
  r.model_id AS modelId, r.model_version AS modelVersion, r.model_name AS modelName, r.updated_at AS updatedAt,
  (SELECT count(*) FROM report_versions v WHERE v.report_id = r.id) AS versions
  FROM reports r JOIN users u ON u.id = r.owner_id`;

export const reportById = sql<[id: number], ReportRow>(`SELECT ${REPORT_COLUMNS} WHERE r.id = ?`);

/**
 * The reports a user sees in the list: their own, those granted to them or their role, or every one
 * for an administrator (who manages them); `model` 0 for every model, else that model's only.
 */
export const visibleReports = sql<
  [ownerId: number, everyone: number, userGrantee: string, roleGrantee: string, model: number, sameModel: number],
  ReportRow
>(
  `SELECT ${REPORT_COLUMNS}
   WHERE (r.owner_id = ? OR ? OR EXISTS (SELECT 1 FROM report_shares s WHERE s.report_id = r.id AND s.grantee IN (?, ?)))
     AND (? = 0 OR r.model_id = ?)
   ORDER BY r.updated_at DESC, r.id DESC`,
);

export const insertReport = sql<
  [
    ownerId: number,
    title: string,
    banner: string,
    modelId: number,
    modelVersion: number,
    modelName: string,
    createdAt: string,
    updatedAt: string,
  ]
>(
  `INSERT INTO reports (owner_id, title, marking, model_id, model_version, model_name, created_at, updated_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
);
/** A new version changes what the report is now: its title, banner, model and time. */
export const touchReport = sql<
  [
    title: string,
    banner: string,
    modelId: number,
    modelVersion: number,
    modelName: string,
    updatedAt: string,
    id: number,
  ]
>(
  'UPDATE reports SET title = ?, marking = ?, model_id = ?, model_version = ?, model_name = ?, updated_at = ? WHERE id = ?',
);
/** The report, its versions and its grants (ON DELETE CASCADE). */
export const deleteReport = sql<[id: number]>('DELETE FROM reports WHERE id = ?');

const VERSION_COLUMNS = `v.version, u.display_name AS savedBy, v.created_at AS createdAt, v.comment,
  v.marking AS banner, v.pdf_sha256 AS pdfSha256, v.pdf_bytes AS pdfBytes
  FROM report_versions v JOIN users u ON u.id = v.owner_id`;

export const insertReportVersion = sql<
  [
    reportId: number,
    version: number,
    savedById: number,
    banner: string,
    definition: string,
    comment: string,
    createdAt: string,
    pdfSha256: string,
    pdfBytes: number,
    pdf: Buffer,
  ]
>(
  `INSERT INTO report_versions (report_id, version, owner_id, marking, definition, comment, created_at, pdf_sha256, pdf_bytes, pdf)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);
export const reportVersionList = sql<[reportId: number], ReportVersionRow>(
  `SELECT ${VERSION_COLUMNS} WHERE v.report_id = ? ORDER BY v.version DESC`,
);
export const reportVersion = sql<[reportId: number, version: number], ReportVersionRow & { definition: string }>(
  `SELECT ${VERSION_COLUMNS.replace('AS pdfBytes', 'AS pdfBytes, v.definition')} WHERE v.report_id = ? AND v.version = ?`,
);
export const reportPdf = sql<[reportId: number, version: number], { pdf: Buffer }>(
  'SELECT pdf FROM report_versions WHERE report_id = ? AND version = ?',
);
export const latestReportVersionNo = sql<[reportId: number], { version: number | null }>(
  'SELECT max(version) AS version FROM report_versions WHERE report_id = ?',
);

export const reportSharesOf = sql<[reportId: number], ReportShareRow>(
  'SELECT grantee, access FROM report_shares WHERE report_id = ? ORDER BY grantee',
);
export const clearReportShares = sql<[reportId: number]>('DELETE FROM report_shares WHERE report_id = ?');
export const insertReportShare = sql<[reportId: number, grantee: string, access: string]>(
  'INSERT INTO report_shares (report_id, grantee, access) VALUES (?, ?, ?)',
);
/** Every report grant to a user or their role: the list's access column in one query. */
export const reportGrantsTo = sql<
  [userGrantee: string, roleGrantee: string],
  { reportId: number; access: 'read' | 'edit' }
>('SELECT report_id AS reportId, access FROM report_shares WHERE grantee IN (?, ?)');
