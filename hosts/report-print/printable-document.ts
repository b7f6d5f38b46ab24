/**
 * What the printer checks before it hands a request to the print page: the one schema of a print
 * request (common/report/report-document-schema.ts), also checked by Electron's printer and the
 * browser host. The CLI and the host call the printer directly, so a malformed document is refused
 * here with the place that is wrong, rather than failing half-way through layout.
 */
import { checkPrintRequest } from '../../common/report/report-document-schema';
import type { ReportPrintRequest } from '../../common/report/report-document';

export class ReportPrintError extends Error {
  override name = 'ReportPrintError';
}

/** The request as the print page takes it (JSON's nulls as NaN), or a ReportPrintError naming what is wrong. */
export function checkPrintable(request: ReportPrintRequest): ReportPrintRequest {
  const checked = checkPrintRequest(request);
  if (!checked.ok) throw new ReportPrintError(checked.message);
  return checked.request;
}
