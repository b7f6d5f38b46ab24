import { saveFile } from '../../ipc/save-file';
import type { ExportPick } from '../../state/bundle-export-state';
import { useReportsState, type ReportsPanel, type ReportVersion } from '../../state/reports-state';
import { ModelBanner } from '../library/ModelBanner';
import { minuteUtc } from '../library/model-permissions';
import { useFocusOnOpen } from '../library/use-focus-on-open';

type Panel = Extract<ReportsPanel, { kind: 'versions' }>;

/** One report's versions: who saved each and when, its comment, banner and PDF hash; its stored PDF to download. */
export function ReportVersionsPanel({
  panel,
  onExportBundle,
}: {
  panel: Panel;
  /** Opens the bundle export screen with one version picked (its model version and runs come along). */
  onExportBundle?: ((pick: ExportPick, label: string) => void) | undefined;
}) {
  const closePanel = useReportsState((s) => s.closePanel);
  const storedPdf = useReportsState((s) => s.storedPdf);
  const report = useReportsState((s) => s.report);
  const heading = useFocusOnOpen(panel.report.id);

  async function download(version: ReportVersion) {
    const got = await storedPdf(panel.report.id, version.version);
    if (!got.ok) return report(got.error);
    const saved = await saveFile({ name: got.value.fileName, type: 'application/pdf', content: got.value.bytes });
    if (!saved.ok) return report(saved.error);
    report(
      null,
      saved.value.saved
        ? `Saved version ${version.version} of “${panel.report.title}” (${got.value.banner}) as ${saved.value.name}.`
        : 'The download was recorded; no file was saved (the save was cancelled).',
    );
  }

  return (
    <section className="panel report-panel" aria-labelledby="report-versions-title" data-testid="report-versions">
      <div className="panel__heading">
        <h2 id="report-versions-title" tabIndex={-1} ref={heading}>
          Versions of “{panel.report.title}”
        </h2>
        <button type="button" className="button button--small" onClick={closePanel} data-testid="report-panel-close">
          Close
        </button>
      </div>
      {!panel.versions && <p>Reading the versions…</p>}
      {panel.versions && (
        <table className="table" data-testid="report-versions-table">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Banner</th>
              <th scope="col">Saved by</th>
              <th scope="col">When</th>
              <th scope="col">Comment</th>
              <th scope="col">PDF (SHA-256)</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {panel.versions.map((version) => (
              <tr key={version.version} data-testid="report-version" data-version={version.version}>
                <th scope="row">{version.version}</th>
                <td>
                  <ModelBanner banner={version.banner} />
                </td>
                <td>{version.savedBy}</td>
                <td>{minuteUtc(version.createdAt)}</td>
                <td>{version.comment || <span className="muted">(none)</span>}</td>
                <td>
                  <code className="report-hash" title={version.pdf.sha256}>
                    {version.pdf.sha256.slice(0, 16)}…
                  </code>{' '}
                  <span className="muted">{Math.ceil(version.pdf.bytes / 1024).toLocaleString('en-US')} KiB</span>
                </td>
                <td>
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => void download(version)}
                    aria-label={`Download the PDF of version ${version.version}`}
                    data-testid="report-version-pdf"
                  >
                    Download PDF
                  </button>
                  {onExportBundle && (
                    <button
                      type="button"
                      className="button button--small"
                      onClick={() =>
                        onExportBundle(
                          { kind: 'report', report: panel.report.id, version: version.version },
                          `report “${panel.report.title}” version ${version.version}`,
                        )
                      }
                      aria-label={`Export bundle of version ${version.version}…`}
                      data-testid="report-version-export-bundle"
                    >
                      Export bundle…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
