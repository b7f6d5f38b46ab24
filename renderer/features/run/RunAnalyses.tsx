import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import type { CompiledModel } from '../../../common/engine/compile-model';
import type { SavedRunSummary } from '../../../common/ipc/contract';
import { runSimulation } from '../../engine/run-simulation';
import { resultsFromSaved } from '../../../common/engine/saved-run-results';
import { getBridge } from '../../ipc/bridge';
import { useRunState } from '../../state/run-state';
import { loadRunSamples, useSavedRunsState } from '../../state/saved-runs-state';
import { rolledUp } from '../analyses/shown-marking';
import type { AnalysesRun, RunScenario } from '../analyses/types';

// The analyses bring their views and charts: loaded when a run with samples is first on screen.
const AnalysesPanel = lazy(() =>
  import('../analyses/AnalysesPanel').then((module) => ({ default: module.AnalysesPanel })),
);

/** A saved run the analyst added to compare with the one on screen: its statistics and samples, loaded. */
interface ComparedRun {
  run: SavedRunSummary;
  analysed: AnalysesRun;
}

const runLabel = (run: Pick<SavedRunSummary, 'id' | 'name'>) => run.name || `Run #${run.id}`;

/** Loads a saved run's statistics and samples for the comparison (runs.open, then its pages). */
async function loadCompared(run: SavedRunSummary): Promise<ComparedRun> {
  const opened = await getBridge().runs.open({ id: run.id });
  if (!opened.ok) throw new Error(opened.error.message);
  const samples = await loadRunSamples(opened.value.run);
  return {
    run: opened.value.run,
    analysed: { label: runLabel(run), summary: resultsFromSaved(opened.value.results).summary, samples },
  };
}

/** Saved runs of this model with samples, to add to the comparison. */
function CompareChoice({
  runs,
  chosen,
  loading,
  onToggle,
}: {
  runs: readonly SavedRunSummary[];
  chosen: ReadonlySet<number>;
  loading: number | null;
  onToggle: (run: SavedRunSummary) => void;
}) {
  if (runs.length === 0) return null;
  return (
    <fieldset className="run-analyses__compare" data-testid="compare-runs">
      <legend>Compare with saved runs of this model</legend>
      {runs.map((run) => (
        <label key={run.id} className="run-analyses__choice">
          <input
            type="checkbox"
            checked={chosen.has(run.id)}
            disabled={loading !== null}
            onChange={() => onToggle(run)}
            data-testid={`compare-run-${run.id}`}
          />
          {runLabel(run)} (version {run.model.version}, seed {run.seed}, {run.iterations.toLocaleString('en-US')}{' '}
          iterations)
          {loading === run.id && <span className="muted"> — loading its samples…</span>}
        </label>
      ))}
    </fieldset>
  );
}

/**
 * The analyses of the run on screen (issue 14, part 4), beside the saved runs of the same model the
 * analyst adds to compare: scenarios run through the engine after the service's word (runs.authorize),
 * and every export of samples is put on the record (runs.recordExport) before the file is saved.
 */
export function RunAnalyses({ model }: { model: CompiledModel }) {
  const result = useRunState((s) => (s.phase === 'done' ? s.result : null));
  const saved = useRunState((s) => s.saved);
  const library = useRunState((s) => s.model?.library ?? null);
  const verdict = useRunState((s) => s.verdict);
  const options = useRunState((s) => s.options);
  const savedRuns = useSavedRunsState((s) => s.runs);
  const samplesLoading = useSavedRunsState((s) => s.samplesLoading);
  const [compared, setCompared] = useState<ComparedRun[]>([]);
  const [loading, setLoading] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // Another model (or none) on screen: the comparison was of the last one.
  useEffect(() => setCompared([]), [library?.id]);

  const others = savedRuns.filter((run) => run.samples && run.id !== saved?.id && run.model.id === library?.id);
  // The same objects while nothing changes: the panel keeps its runs in the analysis worker by identity.
  const runs = useMemo(() => {
    if (!result?.samples) return [];
    const label = saved ? runLabel(saved) : 'This run';
    return [{ label, summary: result.summary, samples: result.samples }, ...compared.map((c) => c.analysed)];
  }, [result, saved, compared]);
  const current = runs[0] ?? null;
  const own = saved?.banner ?? verdict?.banner ?? model.model.marking;
  // Runs of different versions: the roll-up of their markings (none where they cannot roll up).
  const banner = rolledUp([own, ...compared.map((c) => c.run.banner)]);

  async function toggle(run: SavedRunSummary) {
    setProblem(null);
    if (compared.some((c) => c.run.id === run.id)) return setCompared(compared.filter((c) => c.run.id !== run.id));
    setLoading(run.id);
    try {
      const loaded = await loadCompared(run);
      setCompared((now) => [...now.filter((c) => c.run.id !== run.id), loaded]);
    } catch (error) {
      setProblem(`${runLabel(run)} cannot be compared: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setLoading(null);
    }
  }

  const runScenario: RunScenario = async (scenario, request) => {
    // Each scenario is a run: the service's word and the record first, as for Run.
    const allowed = await getBridge().runs.authorize({
      model: scenario.model.name,
      marking: model.model.marking,
      iterations: request.iterations,
      seed: request.seed,
      sampling: options.sampling,
      ...(library ? { library: { id: library.id, version: library.version } } : {}),
    });
    if (!allowed.ok) throw new Error(allowed.error.message);
    const ran = await runSimulation(scenario, {
      iterations: request.iterations,
      seed: request.seed,
      sampling: options.sampling,
      engine: options.engine,
      signal: request.signal,
    });
    return ran.summary;
  };

  async function recordExport(event: { run: string; rows: number; columns: number; fileName: string }) {
    const run = [saved, ...compared.map((c) => c.run)].find((r) => r && runLabel(r) === event.run);
    const answer = await getBridge().runs.recordExport({
      model: model.model.name,
      marking: own,
      rows: event.rows,
      columns: event.columns,
      fileName: event.fileName,
      ...(run ? { run: run.id } : library ? { library: { id: library.id, version: library.version } } : {}),
    });
    if (!answer.ok) throw new Error(`The export was refused: ${answer.error.message}`);
  }

  if (!result) return null;
  return (
    <section className="panel run-analyses" aria-labelledby="run-analyses-title" data-testid="run-analyses">
      <h2 id="run-analyses-title">Analyses</h2>
      {!current && samplesLoading && (
        <p className="muted" role="status">
          Loading the saved run's samples: page {samplesLoading.received} of {samplesLoading.pages}…
        </p>
      )}
      {!current && !samplesLoading && (
        <p className="muted" data-testid="analyses-no-samples">
          The analyses read a run's samples: this run kept none. Run with “Keep samples” on, or open a saved run that
          kept them.
        </p>
      )}
      {current && (
        <>
          <CompareChoice
            runs={others}
            chosen={new Set(compared.map((c) => c.run.id))}
            loading={loading}
            onToggle={(run) => void toggle(run)}
          />
          {problem && (
            <p className="field-problem" role="alert">
              {problem}
            </p>
          )}
          {!banner && (
            <p className="field-problem" role="alert">
              These runs’ markings cannot be rolled up into one banner: compare runs of the same marking.
            </p>
          )}
          {banner && (
            <Suspense fallback={<p className="loading">Opening the analyses…</p>}>
              <AnalysesPanel
                model={model}
                runs={runs}
                banner={banner}
                runScenario={runScenario}
                scenarioDefaults={{ seed: result.seed, iterations: Math.min(result.iterations, 100_000) }}
                onExport={recordExport}
              />
            </Suspense>
          )}
        </>
      )}
    </section>
  );
}
