import { useEffect, useId } from 'react';
import { roleAllows } from '../../../common/access/roles';
import { MODEL_TRASH_DAYS } from '../../../common/ipc/contract';
import type { ExportPick } from '../../state/bundle-export-state';
import { useSignedInRole } from '../../state/login-state';
import { useLibraryState, type ModelSummary } from '../../state/library-state';
import { useMarkingPolicyState } from '../../state/marking-state';
import { useOpenModelState } from '../../state/open-model-state';
import { ImportModels } from './ImportModels';
import { LibraryProblem } from './LibraryProblem';
import { ModelRow } from './ModelRow';
import { RunsPanel } from './RunsPanel';
import { SharePanel } from './SharePanel';
import { VersionsPanel } from './VersionsPanel';

interface Props {
  onHome: () => void;
  /** The editor's route: given by the App where the role may open it; without it there is no Open or New. */
  onEdit?: () => void;
  /** The run screen's route, where the role may run. */
  onRun?: () => void;
  /** The report builder's route, where the role may build reports: a report of these runs of this model. */
  onReport?: (model: number, runs: number[]) => void;
  /** The bundle export screen with this record picked, where the role may export. */
  onExportBundle?: (pick: ExportPick, label: string) => void;
}

/**
 * The model library (models.* channels): own, shared and (an administrator's) managed models, the
 * trash, and per model its versions, differences and sharing. What is offered follows the role and
 * the access the service reports; the service checks every call.
 */
export function LibraryScreen({ onHome, onEdit, onRun, onReport, onExportBundle }: Props) {
  const searchId = useId();
  const role = useSignedInRole();
  const state = useLibraryState();
  const openModel = useOpenModelState((s) => s.openModel);
  const loadPolicy = useMarkingPolicyState((s) => s.load);
  const { load, view, models, panel } = state;
  useEffect(() => {
    void loadPolicy();
    void load();
  }, [load, loadPolicy]);

  const trash = view === 'trash';
  const write = role !== null && roleAllows(role, 'models.write');
  const edit = onEdit
    ? (model: ModelSummary) => {
        openModel({ kind: 'library', id: model.id });
        onEdit();
      }
    : undefined;
  const run = onRun
    ? (model: ModelSummary) => {
        openModel({ kind: 'library', id: model.id });
        onRun();
      }
    : undefined;

  return (
    <main className="home library" data-testid="library-screen">
      <header className="home__header library__header">
        <div>
          <h1>Model library</h1>
          <p className="muted">
            {trash
              ? `Models in the trash are deleted for good ${MODEL_TRASH_DAYS} days after they were moved there.`
              : 'Your models, those shared with you, and what you may do with each.'}
          </p>
        </div>
        <button type="button" className="button" onClick={onHome} data-testid="home-button">
          Back to home
        </button>
      </header>

      <div className="library__toolbar" role="toolbar" aria-label="Library">
        <label htmlFor={searchId}>Search by name</label>
        <input
          id={searchId}
          type="search"
          value={state.search}
          maxLength={200}
          onChange={(event) => void state.setSearch(event.currentTarget.value)}
          data-testid="library-search"
        />
        <button
          type="button"
          className="button"
          aria-pressed={!trash}
          onClick={() => void state.setView('library')}
          data-testid="library-view-library"
        >
          Library
        </button>
        <button
          type="button"
          className="button"
          aria-pressed={trash}
          onClick={() => void state.setView('trash')}
          data-testid="library-view-trash"
        >
          Trash
        </button>
        {!trash && write && onEdit && (
          <button
            type="button"
            className="button button--primary"
            onClick={() => {
              openModel({ kind: 'blank' });
              onEdit();
            }}
            data-testid="library-new"
          >
            New model
          </button>
        )}
        {!trash && write && <ImportModels />}
      </div>

      <p className="library__status" role="status" data-testid="library-status">
        {state.busy ?? ''}
      </p>
      {state.notice && (
        <p className="notice-ok" role="status" data-testid="library-notice">
          {state.notice}
        </p>
      )}
      <LibraryProblem error={state.problem} testId="library-problem" />
      <LibraryProblem error={state.listProblem} testId="library-list-problem" />

      {models && models.length === 0 && (
        <p data-testid="library-empty">
          {trash
            ? 'The trash is empty.'
            : state.search.trim()
              ? 'No model’s name matches the search.'
              : write
                ? 'No models yet: import a model file to begin.'
                : 'No model is shared with you yet.'}
        </p>
      )}
      {!models && !state.listProblem && <p className="loading">Reading the library…</p>}
      {models && models.length > 0 && (
        <table className="library-table" data-testid="library-table">
          <caption className="visually-hidden">{trash ? 'Models in the trash' : 'Models'}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Banner</th>
              <th scope="col">Owner</th>
              <th scope="col">Last change</th>
              <th scope="col">Versions</th>
              <th scope="col">Your access</th>
              {trash && <th scope="col">Deleted for good in</th>}
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {models.map((model) => (
              <ModelRow
                key={model.id}
                model={model}
                role={role}
                trash={trash}
                onEdit={edit}
                onRun={run}
                onExportBundle={onExportBundle}
              />
            ))}
          </tbody>
        </table>
      )}

      {panel?.kind === 'versions' && (
        <VersionsPanel
          panel={panel}
          role={role}
          onExportBundle={onExportBundle}
          onOpenVersion={
            onEdit
              ? (version) => {
                  openModel({ kind: 'library', id: panel.model.id, version });
                  onEdit();
                }
              : undefined
          }
        />
      )}
      {panel?.kind === 'share' && <SharePanel panel={panel} />}
      {panel?.kind === 'runs' && (
        <RunsPanel
          key={panel.model.id}
          model={panel.model}
          {...(onReport ? { onReport } : {})}
          {...(onExportBundle ? { onExportBundle } : {})}
        />
      )}
    </main>
  );
}
