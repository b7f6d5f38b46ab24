import type { Role } from '../../../common/access/roles';
import { ConfirmButton } from '../../components/ConfirmButton';
import { useReportsState, type ReportSummary } from '../../state/reports-state';
import { ModelBanner } from '../library/ModelBanner';
import { minuteUtc } from '../library/model-permissions';
import { reportPermissionsFor } from './report-permissions';

interface Props {
  report: ReportSummary;
  role: Role | null;
  /** Opens the builder on this report, to make a new version (where the role may build reports). */
  onNewVersion?: (report: ReportSummary) => void;
}

/** One report: banner, title, model, owner, last change and versions, and what the user may do with it. */
export function ReportRow({ report, role, onNewVersion }: Props) {
  const busy = useReportsState((s) => s.busy) !== null;
  const { showVersions, showSharing, remove } = useReportsState.getState();
  const may = reportPermissionsFor(report, role);
  return (
    <tr data-testid="report-row" data-report-id={report.id} data-access={report.access}>
      <td>
        <ModelBanner banner={report.banner} />
      </td>
      <th scope="row" data-testid="report-title">
        {report.title}
      </th>
      <td>
        {report.model.name} <span className="muted">v{report.model.version}</span>
      </td>
      <td>{report.owner.name}</td>
      <td>{minuteUtc(report.updatedAt)}</td>
      <td data-testid="report-versions-count">{report.versions}</td>
      <td>
        <div className="library-actions">
          {may.read && (
            <button
              type="button"
              className="button button--small"
              onClick={() => void showVersions(report)}
              data-testid="report-open"
            >
              Open
            </button>
          )}
          {onNewVersion && may.newVersion && (
            <button
              type="button"
              className="button button--small"
              onClick={() => onNewVersion(report)}
              data-testid="report-new-version"
            >
              Edit as new version
            </button>
          )}
          {may.share && (
            <button
              type="button"
              className="button button--small"
              onClick={() => void showSharing(report)}
              data-testid="report-share-open"
            >
              Share
            </button>
          )}
          {may.delete && (
            <ConfirmButton
              label="Delete"
              question={`Delete “${report.title}” and all ${report.versions} of its versions? This cannot be undone.`}
              confirmLabel="Yes, delete"
              disabled={busy}
              onConfirm={() => void remove(report)}
              testId="report-delete"
            />
          )}
        </div>
      </td>
    </tr>
  );
}
