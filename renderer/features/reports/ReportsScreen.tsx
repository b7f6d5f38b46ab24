import { useEffect } from 'react';
import { roleAllows } from '../../../common/access/roles';
import type { ExportPick } from '../../state/bundle-export-state';
import { useSignedInRole } from '../../state/login-state';
import { useMarkingPolicyState } from '../../state/marking-state';
import { useReportsState, type ReportSummary } from '../../state/reports-state';
import { LibraryProblem } from '../library/LibraryProblem';
import { ReportRow } from './ReportRow';
import { ReportSharePanel } from './ReportSharePanel';
import { ReportVersionsPanel } from './ReportVersionsPanel';

interface Props {
  onHome: () => void;
  /** The builder's route, where the role may build reports: a new report, or a new version of one. */
  onBuild?: (report: ReportSummary | null) => void;
  /** The bundle export screen with one report version picked, where the role may export. */
  onExportBundle?: (pick: ExportPick, label: string) => void;
}

/**
 * The report library (reports.* channels): the reports the user may read, each with its banner and
 * versions; a version's stored PDF; sharing and deleting for whoever the service lets.
 */
export function ReportsScreen({ onHome, onBuild, onExportBundle }: Props) {
  const role = useSignedInRole();
  const state = useReportsState();
  const loadPolicy = useMarkingPolicyState((s) => s.load);
  const { load, reports, panel } = state;
  useEffect(() => {
    void loadPolicy();
    void load();
  }, [load, loadPolicy]);
  const write = role !== null && roleAllows(role, 'models.write');

  return (
    <main className="home report-library" data-testid="report-library">
      <header className="home__header library__header">
        <div>
          <h1>Reports</h1>
          <p className="muted">Your reports and those shared with you, each version with the PDF it was saved with.</p>
        </div>
        <div className="report-header-actions">
          {write && onBuild && (
            <button
              type="button"
              className="button button--primary"
              onClick={() => onBuild(null)}
              data-testid="report-new"
            >
              New report
            </button>
          )}
          <button type="button" className="button" onClick={onHome} data-testid="home-button">
            Back to home
          </button>
        </div>
      </header>
      <p className="library__status" role="status" data-testid="report-status">
        {state.busy ?? ''}
      </p>
      {state.notice && (
        <p className="notice-ok" role="status" data-testid="report-notice">
          {state.notice}
        </p>
      )}
      <LibraryProblem error={state.problem} testId="report-problem" />
      <LibraryProblem error={state.listProblem} testId="report-list-problem" />
      {!reports && !state.listProblem && <p className="loading">Reading the reports…</p>}
      {reports?.length === 0 && (
        <p data-testid="report-empty">
          {write ? 'No reports yet: build one from saved runs with “New report”.' : 'No report is shared with you yet.'}
        </p>
      )}
      {reports && reports.length > 0 && (
        <table className="library-table" data-testid="report-table">
          <caption className="visually-hidden">Reports</caption>
          <thead>
            <tr>
              <th scope="col">Banner</th>
              <th scope="col">Title</th>
              <th scope="col">Model</th>
              <th scope="col">Owner</th>
              <th scope="col">Last change</th>
              <th scope="col">Versions</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {reports.map((report) => (
              <ReportRow key={report.id} report={report} role={role} onNewVersion={onBuild} />
            ))}
          </tbody>
        </table>
      )}
      {panel?.kind === 'versions' && <ReportVersionsPanel panel={panel} onExportBundle={onExportBundle} />}
      {panel?.kind === 'share' && <ReportSharePanel panel={panel} />}
    </main>
  );
}
