import { GrantsEditor } from '../../components/GrantsEditor';
import { useReportsState, type ReportsPanel } from '../../state/reports-state';
import { useFocusOnOpen } from '../library/use-focus-on-open';

type Panel = Extract<ReportsPanel, { kind: 'share' }>;

/** The owner's sharing of a report, as a model's is shared: users or roles, to read or to edit. */
export function ReportSharePanel({ panel }: { panel: Panel }) {
  const share = useReportsState((s) => s.share);
  const closePanel = useReportsState((s) => s.closePanel);
  const busy = useReportsState((s) => s.busy) !== null;
  const heading = useFocusOnOpen(panel.report.id);
  const { grants, targets } = panel;

  return (
    <section className="panel report-panel" aria-labelledby="report-share-title" data-testid="report-share">
      <div className="panel__heading">
        <h2 id="report-share-title" tabIndex={-1} ref={heading}>
          Sharing “{panel.report.title}”
        </h2>
        <button type="button" className="button button--small" onClick={closePanel} data-testid="report-panel-close">
          Close
        </button>
      </div>
      {(!grants || !targets) && <p>Reading who it is shared with…</p>}
      {grants && targets && (
        <GrantsEditor grants={grants} targets={targets} busy={busy} share={share} testIds="report-share" />
      )}
    </section>
  );
}
