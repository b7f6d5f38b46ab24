/**
 * Loads what a report is built from (common/report/report-data.ts) out of the store: the kept model
 * version (models.open), each saved run's results and kept samples (runs.open, runs.samples), and
 * the scenario analysis's summaries, run here through the engine at the baseline's seed, each with
 * the service's word first (runs.authorize), as the run screen runs.
 */
import { applyScenario, type ScenarioTable } from '../../common/engine/analysis/scenarios';
import { compileModel } from '../../common/engine/compile-model';
import { resultsFromSaved } from '../../common/engine/saved-run-results';
import type { SimulationSummary } from '../../common/engine/summary';
import type { SavedRunSummary } from '../../common/ipc/contract';
import type { Model } from '../../common/model/model';
import type { ReportRun } from '../../common/report/report-data';
import { getBridge } from '../ipc/bridge';
import { loadRunSamples } from '../state/saved-runs-state';
import { runSimulation } from './run-simulation';

/** The most iterations one scenario runs: the baseline's, up to this. */
export const REPORT_SCENARIO_MAX_ITERATIONS = 100_000;

export interface ReportModelSource {
  /** The library model's id. */
  id: number;
  model: Model;
  modelVersion: { name: string; version: number; sha256: string };
  /** The version's banner, as the service computed it. */
  banner: string;
}

/** The kept model version a report is of. */
export async function loadReportModel(id: number, version: number): Promise<ReportModelSource> {
  const opened = await getBridge().models.open({ id, version });
  if (!opened.ok) throw new Error(opened.error.message);
  const { summary, version: kept, model } = opened.value;
  return {
    id,
    model,
    modelVersion: { name: summary.name, version: kept.version, sha256: kept.sha256 },
    banner: kept.banner,
  };
}

/** A saved run's name as a report prints it. */
export const reportRunLabel = (run: Pick<SavedRunSummary, 'id' | 'name'>) => run.name || `Run #${run.id}`;

/** One saved run with its results and (when it kept them) its samples. */
export async function loadReportRun(
  id: number,
  onPage?: (received: number, pages: number) => void,
): Promise<{ saved: SavedRunSummary; run: ReportRun }> {
  const opened = await getBridge().runs.open({ id });
  if (!opened.ok) throw new Error(opened.error.message);
  const saved = opened.value.run;
  const { summary, trace } = resultsFromSaved(opened.value.results);
  const samples = saved.samples ? await loadRunSamples(saved, onPage) : null;
  return {
    saved,
    run: {
      label: reportRunLabel(saved),
      banner: saved.banner,
      seed: saved.seed,
      sampling: saved.sampling,
      engine: saved.engine,
      engineDescription: saved.engineDescription,
      iterations: saved.iterations,
      appVersion: saved.appVersion,
      startedAt: saved.startedAt,
      finishedAt: saved.finishedAt,
      autoStop: saved.settings.autoStop,
      summary,
      trace,
      samples,
    },
  };
}

/**
 * Runs every scenario of the table with the baseline's seed and sampling on the CPU engine (the
 * same figures every time, so a regenerated report matches), each authorized by the service first.
 */
export async function runReportScenarios(
  source: { model: Model; library: { id: number; version: number }; banner: string },
  table: ScenarioTable,
  baseline: Pick<ReportRun, 'seed' | 'sampling' | 'iterations'>,
  options: { signal?: AbortSignal; onScenario?: (done: number, total: number) => void } = {},
): Promise<SimulationSummary[]> {
  const iterations = Math.min(baseline.iterations, REPORT_SCENARIO_MAX_ITERATIONS);
  const summaries: SimulationSummary[] = [];
  for (const scenario of table.scenarios) {
    const applied = applyScenario(source.model, table, scenario);
    if (!applied.ok) throw new Error(`scenario ${scenario.name}: ${applied.errors.join('; ')}`);
    const compiled = compileModel(applied.model);
    if (!compiled.ok) throw new Error(`scenario ${scenario.name}: ${compiled.errors.join('; ')}`);
    const allowed = await getBridge().runs.authorize({
      model: source.model.name,
      marking: source.banner,
      iterations,
      seed: baseline.seed,
      sampling: baseline.sampling,
      library: source.library,
    });
    if (!allowed.ok) throw new Error(allowed.error.message);
    const ran = await runSimulation(compiled.compiled, {
      iterations,
      seed: baseline.seed,
      sampling: baseline.sampling,
      engine: 'cpu',
      ...(options.signal ? { signal: options.signal } : {}),
    });
    summaries.push(ran.summary);
    options.onScenario?.(summaries.length, table.scenarios.length);
  }
  return summaries;
}
