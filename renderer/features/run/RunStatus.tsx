import { useRunState } from '../../state/run-state';

/** Progress (with Cancel) while a run is going, and how the last one ended when it did not finish. */
export function RunStatus() {
  const phase = useRunState((s) => s.phase);
  const stage = useRunState((s) => s.stage);
  const progress = useRunState((s) => s.progress);
  const error = useRunState((s) => s.error);
  const cancel = useRunState((s) => s.cancel);
  const busy = phase === 'calibrating' || phase === 'running' || phase === 'reporting';

  if (phase === 'cancelled') {
    return (
      <p className="run-status run-status--cancelled" role="status" data-testid="run-status" data-phase="cancelled">
        The run was cancelled; nothing of it was kept.
      </p>
    );
  }
  if (phase === 'failed') {
    return (
      <div className="run-status run-status--failed" role="alert" data-testid="run-status" data-phase="failed">
        <strong>The run failed.</strong> {error}
      </div>
    );
  }
  if (!busy) return null;
  const title =
    phase === 'calibrating' ? 'Choosing the engine' : phase === 'running' ? 'Running' : 'Computing statistics';
  return (
    <section
      className="panel panel--wide run-status"
      aria-labelledby="run-status-title"
      data-testid="run-status"
      data-phase={phase}
    >
      <h2 id="run-status-title">{title}</h2>
      <p className="muted" data-testid="run-stage">
        {stage}
      </p>
      {phase === 'running' && (
        <div className="progress-line">
          <progress
            className="progress"
            max={progress.total}
            value={progress.done}
            aria-label="Iterations done"
            data-testid="run-progress"
          />
          <span data-testid="run-progress-text">
            {progress.done.toLocaleString('en-US')} of {progress.total.toLocaleString('en-US')} iterations
          </span>
        </div>
      )}
      {phase !== 'running' && <progress className="progress" aria-label={title} />}
      <button type="button" className="button" onClick={cancel} data-testid="cancel-button">
        Cancel
      </button>
    </section>
  );
}
