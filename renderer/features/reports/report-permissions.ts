import { roleAllows, type Role } from '../../../common/access/roles';
import type { ReportSummary } from '../../state/reports-state';

/**
 * What the report library offers for one report, from the access the service reported and the
 * role (docs/reports.md): only what is shown; the service checks each call.
 */
export function reportPermissionsFor(report: ReportSummary, role: Role | null) {
  const write = role !== null && roleAllows(role, 'models.write');
  const readable = report.access === 'owner' || report.access === 'edit' || report.access === 'read';
  return {
    read: readable,
    newVersion: write && (report.access === 'owner' || report.access === 'edit'),
    share: write && report.access === 'owner',
    delete: write && (report.access === 'owner' || role === 'admin'),
  };
}

/** A file name from a report's title: letters, digits, dashes; never empty. */
export function reportFileStem(title: string): string {
  const stem = title
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return stem || 'report';
}
