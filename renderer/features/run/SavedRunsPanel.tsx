import { useEffect, useId, useState } from 'react';
import { roleAllows } from '../../../common/access/roles';
import { useLoginState } from '../../state/login-state';
import { useRunState } from '../../state/run-state';
import { useSavedRunsState } from '../../state/saved-runs-state';

/** Save the run on screen (name, comment), with what it keeps; its state while the samples go. */
function SaveForm() {
  const id = useId();
  const [name, setName] = useState('');
  const [comment, setComment] = useState('');
  const canSave = useRunState((s) => s.phase === 'done' && s.ran !== null && s.saved === null);
  const library = useRunState((s) => s.ran?.library ?? null);
  const keepSamples = useRunState((s) => s.options.keepSamples && s.result?.samples != null);
  const kept = useRunState((s) => s.result?.samples?.iterations ?? 0);
  const saving = useSavedRunsState((s) => s.saving);
  const saveError = useSavedRunsState((s) => s.saveError);
  const save = useSavedRunsState((s) => s.save);
  if (!canSave && !saving && !saveError) return null;
  if (canSave && !library)
    return (
      <p className="notice" role="note" data-testid="save-run-unavailable">
        This run is of an example or a file: its runs can be saved once the model is saved to the library.
      </p>
    );
  return (
    <form
      className="saved-runs__form"
      onSubmit={(event) => {
        event.preventDefault();
        void save(name.trim(), comment.trim());
      }}
    >
      <div className="field-group">
        <label htmlFor={`${id}-name`}>Run name</label>
        <input
          id={`${id}-name`}
          className="field"
          maxLength={200}
          value={name}
          onChange={(e) => setName(e.target.value)}
          data-testid="save-run-name"
        />
      </div>
      <div className="field-group">
        <label htmlFor={`${id}-comment`}>Comment (optional)</label>
        <input
          id={`${id}-comment`}
          className="field"
          maxLength={2000}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          data-testid="save-run-comment"
        />
      </div>
      <div className="field-group field-group--action">
        <button
          type="submit"
          className="button button--primary"
          disabled={!canSave || saving !== null}
          data-testid="save-run-button"
        >
          Save run
        </button>
      </div>
      <p className="muted" data-testid="save-run-keeps">
        {keepSamples
          ? `Saves the results and the first ${kept.toLocaleString('en-US')} iterations of every input and output.`
          : 'Saves the results only (no samples).'}
      </p>
      {saving && (
        <p role="status" data-testid="save-run-progress">
          Saving… {saving.pages > 0 ? `${saving.sent} of ${saving.pages} pages of samples` : ''}
        </p>
      )}
      {saveError && (
        <p className="field-problem" role="alert" data-testid="save-run-error">
          {saveError}
        </p>
      )}
    </form>
  );
}

/** The saved runs of the open library model: reopen (no run), run again with the same seed, delete. */
export function SavedRunsPanel() {
  const library = useRunState((s) => s.model?.library ?? null);
  const saved = useRunState((s) => s.saved);
  const samplesHere = useRunState((s) => s.result?.samples?.iterations ?? 0);
  const busy = useRunState((s) => ['calibrating', 'running', 'reporting'].includes(s.phase));
  const role = useLoginState((s) => s.status?.user?.role);
  const mayRun = role !== undefined && roleAllows(role, 'models.write');
  const listedFor = useSavedRunsState((s) => s.modelId);
  const allRuns = useSavedRunsState((s) => s.runs);
  const listError = useSavedRunsState((s) => s.listError);
  const reopenMs = useSavedRunsState((s) => s.reopenMs);
  const samplesLoading = useSavedRunsState((s) => s.samplesLoading);
  const comparison = useSavedRunsState((s) => s.comparison);
  const { list, open, remove, rerun } = useSavedRunsState.getState();
  const modelId = library?.id ?? null;
  // Only the open library model's runs: not a list left from a model opened before.
  const runs = modelId !== null && listedFor === modelId ? allRuns : [];
  useEffect(() => {
    if (modelId !== null) void list(modelId);
  }, [modelId, list]);

  return (
    <section className="panel panel--wide saved-runs" aria-labelledby="saved-runs-title" data-testid="saved-runs">
      <h2 id="saved-runs-title">Saved runs</h2>
      {mayRun && <SaveForm />}
      {saved && (
        <p role="status" data-testid="saved-run-shown" data-run={saved.id}>
          Showing saved run <strong>{saved.name || `#${saved.id}`}</strong> ({saved.banner})
          {reopenMs !== null && ` — results shown in ${Math.round(reopenMs)} ms`}
          {samplesLoading && ` — loading samples, ${samplesLoading.received} of ${samplesLoading.pages} pages`}.
        </p>
      )}
      {saved?.samples && !samplesLoading && samplesHere > 0 && (
        <p className="muted" data-testid="saved-run-samples" data-iterations={samplesHere}>
          Its samples are loaded: {samplesHere.toLocaleString('en-US')} iterations of every input and output, for the
          analyses.
        </p>
      )}
      {comparison && (
        <p
          role="status"
          className={comparison.identical ? 'verdict verdict--ok' : 'verdict verdict--error'}
          data-testid="rerun-comparison"
          data-identical={comparison.identical}
        >
          {comparison.identical
            ? `Run again: the statistics are identical, bit for bit, to saved run "${comparison.name}".`
            : `Run again: the statistics differ from saved run "${comparison.name}".`}
        </p>
      )}
      {listError && (
        <p className="field-problem" role="alert" data-testid="saved-runs-error">
          {listError}
        </p>
      )}
      {!library && <p className="muted">Open a model of the library to see and save its runs.</p>}
      {library && runs.length === 0 && <p className="muted">No saved runs of this model yet.</p>}
      {runs.length > 0 && (
        <table className="saved-runs__table" data-testid="saved-runs-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Marking</th>
              <th scope="col">Version</th>
              <th scope="col">Seed</th>
              <th scope="col">Iterations</th>
              <th scope="col">Samples</th>
              <th scope="col">Saved by</th>
              <th scope="col">Saved</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.id} data-testid="saved-run-row" data-run={run.id}>
                <td title={run.comment}>{run.name || `#${run.id}`}</td>
                <td>{run.banner}</td>
                <td>{run.model.version}</td>
                <td>{run.seed}</td>
                <td>{run.iterations.toLocaleString('en-US')}</td>
                <td>
                  {run.samples
                    ? `${run.samples.iterations.toLocaleString('en-US')} (${(run.samples.bytes / 1e6).toFixed(1)} MB)`
                    : '—'}
                </td>
                <td>{run.owner.name}</td>
                <td>{run.savedAt.slice(0, 16).replace('T', ' ')}</td>
                <td className="saved-runs__actions">
                  <button
                    type="button"
                    className="button button--small"
                    disabled={busy}
                    onClick={() => void open(run.id)}
                    data-testid="saved-run-open"
                  >
                    Open
                  </button>
                  {mayRun && (
                    <button
                      type="button"
                      className="button button--small"
                      disabled={busy}
                      onClick={() => void rerun(run.id)}
                      data-testid="saved-run-rerun"
                    >
                      Run again
                    </button>
                  )}
                  {mayRun && run.mayDelete && (
                    <button
                      type="button"
                      className="button button--small"
                      disabled={busy}
                      onClick={() => {
                        if (window.confirm(`Delete saved run "${run.name || `#${run.id}`}"?`)) void remove(run.id);
                      }}
                      data-testid="saved-run-delete"
                    >
                      Delete
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
