// The analyses panel over two CPU-engine runs of the marked project cost example
// (./analyses-fixture.ts), its scenarios run by the same engine in the page; `?iterations=` and
// `?runs=` choose other runs (the spec's measurement: one of 1,000,000). Bundled and served by
// ./analyses-server.ts; type-checked with the renderer (tsconfig.renderer.json). zod runs
// jitless, as in the app, before any schema is built.
import '../../../renderer/app/zod-config';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AnalysesPanel, type RunScenario } from '../../../renderer/features/analyses/AnalysesPanel';
import { BANNER, compileFixture, fixtureRuns, ITERATIONS, runOnce, SEEDS } from './analyses-fixture';

const query = new URLSearchParams(window.location.search);
const compiled = compileFixture();
const runs = fixtureRuns(
  compiled,
  Number(query.get('iterations') ?? ITERATIONS),
  Number(query.get('runs') ?? SEEDS.length),
);
const exports: unknown[] = [];
const harness = window as unknown as { analysesExports: unknown[]; analysesReady?: number };
harness.analysesExports = exports;

/** The engine in the page; a pause first, so the screen shows its progress and the run can be cancelled. */
const runScenario: RunScenario = async (model, request) => {
  await new Promise((resolve) => setTimeout(resolve, 300));
  request.signal.throwIfAborted();
  return runOnce(model, request.seed, request.iterations).summary;
};

// The runs are built (the harness's own long work); the panel is shown in a task of its own, from
// this moment on, which is when the spec starts counting the page's long tasks.
harness.analysesReady = performance.now();
setTimeout(() =>
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
  ),
);
