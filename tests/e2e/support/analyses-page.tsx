// The analyses panel over two CPU-engine runs of the marked project cost example
// (./analyses-fixture.ts), its scenarios run by the same engine in the page. Bundled by
// tests/e2e/analyses.spec.ts; type-checked with the renderer (tsconfig.renderer.json). zod runs
// jitless, as in the app, before any schema is built.
import '../../../renderer/app/zod-config';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AnalysesPanel, type RunScenario } from '../../../renderer/features/analyses/AnalysesPanel';
import { BANNER, compileFixture, fixtureRuns, runOnce } from './analyses-fixture';

const compiled = compileFixture();
const runs = fixtureRuns(compiled);
const exports: unknown[] = [];
(window as unknown as { analysesExports: unknown[] }).analysesExports = exports;

/** The engine in the page; a pause first, so the screen shows its progress and the run can be cancelled. */
const runScenario: RunScenario = async (model, request) => {
  await new Promise((resolve) => setTimeout(resolve, 300));
  request.signal.throwIfAborted();
  return runOnce(model, request.seed, request.iterations).summary;
};

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <main className="home">
      <AnalysesPanel
        model={compiled}
        runs={runs}
        banner={BANNER}
        runScenario={runScenario}
        scenarioDefaults={{ seed: 7, iterations: 5_000 }}
        onExport={(event) => void exports.push(event)}
      />
    </main>
  </StrictMode>,
);
