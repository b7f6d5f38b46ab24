import { GrantsEditor } from '../../components/GrantsEditor';
import { useLibraryState, type LibraryPanel } from '../../state/library-state';
import { useFocusOnOpen } from './use-focus-on-open';

type Panel = Extract<LibraryPanel, { kind: 'share' }>;

/** The owner's sharing: who may read or edit the model, one change at a time, each saved at once. */
export function SharePanel({ panel }: { panel: Panel }) {
  const share = useLibraryState((s) => s.share);
  const closePanel = useLibraryState((s) => s.closePanel);
  const busy = useLibraryState((s) => s.busy) !== null;
  const heading = useFocusOnOpen(panel.model.id);
  const { grants, targets } = panel;

  return (
    <section className="panel library-panel" aria-labelledby="share-title" data-testid="share-panel">
      <div className="panel__heading">
        <h2 id="share-title" tabIndex={-1} ref={heading}>
          Sharing “{panel.model.name}”
        </h2>
        <button type="button" className="button button--small" onClick={closePanel} data-testid="panel-close">
          Close
        </button>
      </div>
      {(!grants || !targets) && <p>Reading who it is shared with…</p>}
      {grants && targets && (
        <GrantsEditor grants={grants} targets={targets} busy={busy} share={share} testIds="share" />
      )}
    </section>
  );
}
