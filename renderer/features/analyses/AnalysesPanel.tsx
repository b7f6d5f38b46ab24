import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { analysisClient } from '../../engine/analysis-client';
import { ComparisonView } from './ComparisonView';
import { ConvergenceView } from './ConvergenceView';
import { SampleExportView } from './SampleExportView';
import { ScatterView } from './ScatterView';
import { ScenariosView } from './ScenariosView';
import { SpiderView } from './SpiderView';
import { TailDriversView } from './TailDriversView';
import { TornadoView } from './TornadoView';
import type { AnalysesPanelProps } from './types';

export type { AnalysesPanelProps, AnalysesRun, RunScenario, ScenarioRunRequest } from './types';

const TABS = [
  { id: 'comparison', label: 'Comparison' },
  { id: 'scenarios', label: 'Scenarios' },
  { id: 'tornado', label: 'Tornado' },
  { id: 'spider', label: 'Spider' },
  { id: 'tail', label: 'Tail drivers' },
  { id: 'scatter', label: 'Scatter' },
  { id: 'convergence', label: 'Convergence' },
  { id: 'export', label: 'Export samples' },
] as const;
type TabId = (typeof TABS)[number]['id'];

/**
 * The tornadoes, spider and tail drivers read at most this many iterations (the first): ranking
 * ten million values per input takes tens of seconds even in the analysis worker, and a rank
 * correlation's standard error at a million is about 0.001. Scatter, convergence, comparison and
 * export read every kept iteration.
 */
export const DRIVER_ITERATIONS = 1_000_000;

/**
 * The analyses of one model's runs, each a tab with a chart (values on hover) and its numbers as a
 * table, the marking of what it shows above it. Everything but the scenarios is computed from the
 * runs' kept samples, without running the model again, in the analysis worker
 * (renderer/engine/analysis-client.ts), so the page never waits on a million iterations.
 */
export function AnalysesPanel({
  model,
  runs,
  banner,
  runScenario,
  scenarioDefaults = { seed: 1, iterations: 10_000 },
  onExport,
}: AnalysesPanelProps) {
  const [tab, setTab] = useState<TabId>('comparison');
  // A tab once opened stays mounted (hidden when another is shown): its choices and results, a
  // scenario run's among them, are there when the analyst comes back; unopened tabs compute nothing.
  const [visited, setVisited] = useState<ReadonlySet<TabId>>(() => new Set(['comparison']));
  const open = (id: TabId) => {
    setTab(id);
    setVisited((now) => (now.has(id) ? now : new Set([...now, id])));
  };
  const [runIndex, setRunIndex] = useState(0);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  // The worker holds these runs' samples while they are shown, and lets them go after.
  useEffect(() => analysisClient().keep(runs.map((r) => r.samples)), [runs]);
  if (runs.length === 0)
    return (
      <p className="muted" data-testid="analyses-none">
        No analyses: no run with its samples kept.
      </p>
    );
  const index = Math.min(runIndex, runs.length - 1);
  const run = runs[index]!;
  const drivers = tab === 'tornado' || tab === 'spider' || tab === 'tail';
  const document = model.model;
  const singleRun = tab !== 'comparison' && tab !== 'scenarios' && tab !== 'export';

  const view = (id: TabId) => {
    switch (id) {
      case 'comparison':
        return <ComparisonView model={document} runs={runs} banner={banner} />;
      case 'scenarios':
        return (
          <ScenariosView
            model={document}
            banner={banner}
            defaults={scenarioDefaults}
            {...(runScenario ? { runScenario } : {})}
          />
        );
      case 'tornado':
        return <TornadoView key={runIndex} model={document} run={run} limit={DRIVER_ITERATIONS} banner={banner} />;
      case 'spider':
        return <SpiderView key={runIndex} model={document} run={run} limit={DRIVER_ITERATIONS} banner={banner} />;
      case 'tail':
        return <TailDriversView key={runIndex} model={document} run={run} limit={DRIVER_ITERATIONS} banner={banner} />;
      case 'scatter':
        return <ScatterView key={runIndex} model={document} run={run} banner={banner} />;
      case 'convergence':
        return <ConvergenceView key={runIndex} model={document} run={run} banner={banner} />;
      case 'export':
        return <SampleExportView model={document} runs={runs} banner={banner} {...(onExport ? { onExport } : {})} />;
    }
  };

  const onKey = (event: KeyboardEvent, index: number) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    const to =
      event.key === 'Home'
        ? 0
        : event.key === 'End'
          ? TABS.length - 1
          : step
            ? (index + step + TABS.length) % TABS.length
            : -1;
    if (to < 0) return;
    event.preventDefault();
    open(TABS[to]!.id);
    tabs.current[to]?.focus();
  };

  return (
    <section className="analyses" aria-label="Analyses" data-testid="analyses-panel">
      <div className="analyses__tabs" role="tablist" aria-label="Analyses">
        {TABS.map((t, i) => (
          <button
            key={t.id}
            ref={(element) => {
              tabs.current[i] = element;
            }}
            type="button"
            role="tab"
            id={`analyses-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`analyses-panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            className={`analyses__tab${tab === t.id ? ' analyses__tab--current' : ''}`}
            onClick={() => open(t.id)}
            onKeyDown={(e) => onKey(e, i)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {singleRun && runs.length > 1 ? (
        <label className="field-group analyses__run">
          Run
          <select className="field" value={runIndex} onChange={(e) => setRunIndex(Number(e.target.value))}>
            {runs.map((r, i) => (
              <option key={`${i}-${r.label}`} value={i}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {drivers && run.samples.iterations > DRIVER_ITERATIONS ? (
        <p className="muted" data-testid="analyses-driver-cap">
          This analysis reads the first {DRIVER_ITERATIONS.toLocaleString('en-US')} of the run&apos;s{' '}
          {run.samples.iterations.toLocaleString('en-US')} kept iterations (a rank correlation&apos;s standard error is
          then about 0.001).
        </p>
      ) : null}
      {TABS.filter((t) => visited.has(t.id)).map((t) => (
        <div
          key={t.id}
          role="tabpanel"
          id={`analyses-panel-${t.id}`}
          aria-labelledby={`analyses-tab-${t.id}`}
          hidden={tab !== t.id}
        >
          {view(t.id)}
        </div>
      ))}
    </section>
  );
}
