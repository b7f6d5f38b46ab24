import { useEffect } from 'react';
import { useOpenModelState } from '../../state/open-model-state';
import { useRunState } from '../../state/run-state';
import { useSystemState } from '../../state/system-state';
import { ModelPanel } from './ModelPanel';
import { OptionsPanel } from './OptionsPanel';
import { ResultsView } from './ResultsView';
import { RunAnalyses } from './RunAnalyses';
import { RunStatus } from './RunStatus';
import { SavedRunsPanel } from './SavedRunsPanel';

/** Loads the model the analyst is working on (open-model-state) when it is not the one on screen. */
function useOpenModel() {
  const target = useOpenModelState((s) => s.target);
  useEffect(() => {
    if (!target) return;
    const { model, openLibraryModel, chooseExample } = useRunState.getState();
    if (target.kind === 'library') {
      const shown = model?.library;
      if (!shown || shown.id !== target.id || (target.version !== undefined && shown.version !== target.version))
        void openLibraryModel(target.id, target.version);
    } else if (target.kind === 'template' && model?.source !== target.exampleId) chooseExample(target.exampleId);
  }, [target]);
}

/** Choose a model, set the options, run it on WebGPU or the CPU workers, read the results. */
export function RunScreen({ onHome }: { onHome: () => void }) {
  const info = useSystemState((s) => s.info);
  const phase = useRunState((s) => s.phase);
  const busy = phase === 'calibrating' || phase === 'running' || phase === 'reporting';
  const compiled = useRunState((s) => s.model?.compiled ?? null);
  useOpenModel();
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
        <SavedRunsPanel />
      </div>
      <ResultsView />
      {compiled && <RunAnalyses model={compiled} />}
    </main>
  );
}
