import { useEffect, useId, useState, type FormEvent } from 'react';
import type { Role } from '../../../common/access/roles';
import type { ExportPick } from '../../state/bundle-export-state';
import { useLibraryState, type LibraryPanel, type ModelVersion } from '../../state/library-state';
import { DiffView } from './DiffView';
import { ModelBanner } from './ModelBanner';
import { minuteUtc, permissionsFor } from './model-permissions';
import { useFocusOnOpen } from './use-focus-on-open';

type Panel = Extract<LibraryPanel, { kind: 'versions' }>;

/** Restoring is a second, explicit step with its comment: "Yes, restore" only. */
function RestoreForm({ version, onDone }: { version: ModelVersion; onDone(): void }) {
  const restoreVersion = useLibraryState((s) => s.restoreVersion);
  const busy = useLibraryState((s) => s.busy);
  const [comment, setComment] = useState(`Restored version ${version.version}`);
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (await restoreVersion(version.version, comment)) onDone();
  }
  return (
    <form className="library-restore" onSubmit={(event) => void submit(event)} data-testid="restore-version-form">
      <p>Save version {version.version} again as the newest version? The versions in between are kept.</p>
      <label>
        Comment
        <input
          value={comment}
          maxLength={2000}
          autoFocus
          onChange={(event) => setComment(event.currentTarget.value)}
          onKeyDown={(event) => event.key === 'Escape' && onDone()}
          data-testid="restore-version-comment"
        />
      </label>
      <button type="submit" className="button button--small button--danger" disabled={busy !== null}>
        Yes, restore version {version.version}
      </button>
      <button type="button" className="button button--small" onClick={onDone}>
        Cancel
      </button>
    </form>
  );
}

/** Two versions to compare: the older one first; by default the two newest. */
function CompareForm({ versions }: { versions: ModelVersion[] }) {
  const fromId = useId();
  const toId = useId();
  const diffVersions = useLibraryState((s) => s.diffVersions);
  const busy = useLibraryState((s) => s.busy);
  const newest = versions[0]?.version ?? 1;
  const [from, setFrom] = useState(versions[1]?.version ?? newest);
  const [to, setTo] = useState(newest);
  const options = versions.map((v) => (
    <option key={v.version} value={v.version}>
      version {v.version}
    </option>
  ));
  return (
    <form
      className="library-compare"
      onSubmit={(event) => {
        event.preventDefault();
        void diffVersions(from, to);
      }}
    >
      <label htmlFor={fromId}>Compare</label>
      <select id={fromId} value={from} onChange={(e) => setFrom(Number(e.currentTarget.value))} data-testid="diff-from">
        {options}
      </select>
      <label htmlFor={toId}>with</label>
      <select id={toId} value={to} onChange={(e) => setTo(Number(e.currentTarget.value))} data-testid="diff-to">
        {options}
      </select>
      <button type="submit" className="button button--small" disabled={busy !== null} data-testid="diff-show">
        Show differences
      </button>
    </form>
  );
}

/** A model's versions: author, time, comment, banner and hash; differences between any two; restore one as a new version. */
export function VersionsPanel({
  panel,
  role,
  onOpenVersion,
  onExportBundle,
}: {
  panel: Panel;
  role: Role | null;
  /** Opens the bundle export screen with one version picked (where the role may export). */
  onExportBundle?: ((pick: ExportPick, label: string) => void) | undefined;
  /** Opens one version in the editor (where the App gives the editor's route). */
  onOpenVersion?: (version: number) => void;
}) {
  const closePanel = useLibraryState((s) => s.closePanel);
  const model = useLibraryState((s) => s.models?.find((m) => m.id === panel.model.id)) ?? panel.model;
  const [restoring, setRestoring] = useState<number | null>(null);
  const heading = useFocusOnOpen(panel.model.id);
  const may = permissionsFor(model, role);
  const exportVersion = may.export ? onExportBundle : undefined;
  useEffect(() => setRestoring(null), [panel.versions]);
  return (
    <section className="panel library-panel" aria-labelledby="versions-title" data-testid="versions-panel">
      <div className="panel__heading">
        <h2 id="versions-title" tabIndex={-1} ref={heading}>
          Versions of “{model.name}”
        </h2>
        <button type="button" className="button button--small" onClick={closePanel} data-testid="panel-close">
          Close
        </button>
      </div>
      {!panel.versions && <p>Reading the versions…</p>}
      {panel.versions && (
        <>
          <table className="library-table" data-testid="versions-table">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Author</th>
                <th scope="col">Saved</th>
                <th scope="col">Comment</th>
                <th scope="col">Banner</th>
                <th scope="col">Hash</th>
                {(may.edit || onOpenVersion || exportVersion) && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {panel.versions.map((v, index) => (
                <tr key={v.version} data-testid="version-row" data-version={v.version}>
                  <th scope="row">{v.version}</th>
                  <td>{v.author}</td>
                  <td>{minuteUtc(v.createdAt)}</td>
                  <td data-testid="version-comment">{v.comment || <span className="muted">(none)</span>}</td>
                  <td>
                    <ModelBanner banner={v.banner} />
                  </td>
                  <td>
                    <code title={v.sha256} data-testid="version-hash">
                      {v.sha256.slice(0, 12)}
                    </code>
                  </td>
                  {(may.edit || onOpenVersion || exportVersion) && (
                    <td>
                      {exportVersion && restoring !== v.version && (
                        <button
                          type="button"
                          className="button button--small"
                          onClick={() =>
                            exportVersion(
                              { kind: 'model-version', model: model.id, version: v.version },
                              `model “${model.name}” version ${v.version}`,
                            )
                          }
                          aria-label={`Export bundle of version ${v.version}…`}
                          data-testid="version-export-bundle"
                        >
                          Export bundle…
                        </button>
                      )}
                      {onOpenVersion && restoring !== v.version && (
                        <button
                          type="button"
                          className="button button--small"
                          onClick={() => onOpenVersion(v.version)}
                          data-testid="version-open"
                        >
                          Open
                        </button>
                      )}
                      {may.edit && index > 0 && restoring !== v.version && (
                        <button
                          type="button"
                          className="button button--small"
                          onClick={() => setRestoring(v.version)}
                          data-testid="version-restore"
                        >
                          Restore…
                        </button>
                      )}
                      {restoring === v.version && <RestoreForm version={v} onDone={() => setRestoring(null)} />}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          {panel.versions.length > 1 ? (
            <CompareForm key={panel.versions.length} versions={panel.versions} />
          ) : (
            <p className="muted">One version so far: nothing to compare.</p>
          )}
          {panel.diff && <DiffView diff={panel.diff} />}
        </>
      )}
    </section>
  );
}
