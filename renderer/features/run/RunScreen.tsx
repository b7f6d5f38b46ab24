import { useRunState } from '../../state/run-state';
import { useSystemState } from '../../state/system-state';
import { ModelPanel } from './ModelPanel';
import { OptionsPanel } from './OptionsPanel';
import { ResultsView } from './ResultsView';
import { RunStatus } from './RunStatus';

/** Choose a model, set the options, run it on WebGPU or the CPU workers, read the results. */
export function RunScreen({ onHome }: { onHome: () => void }) {
  const info = useSystemState((s) => s.info);
  const phase = useRunState((s) => s.phase);
  const busy = phase === 'calibrating' || phase === 'running' || phase === 'reporting';
  return (
    <main className="home run" data-testid="run-screen">
      <header className="home__header run__header">
        <div>
          <h1>Run a simulation</h1>
          {info && <p className="muted">system high {info.site.systemHigh}</p>}
        </div>
        <button type="button" className="button" onClick={onHome} disabled={busy} data-testid="home-button">
          Back to home
        </button>
      </header>
      <div className="panels">
        <ModelPanel disabled={busy} />
        <OptionsPanel busy={busy} />
        <RunStatus />
      </div>
      <ResultsView />
    </main>
  );
}
