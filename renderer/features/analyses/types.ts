import type { RunSamples } from '../../../common/engine/analysis/run-samples';
import type { CompiledModel } from '../../../common/engine/compile-model';
import type { SimulationSummary } from '../../../common/engine/summary';
import type { ShownMarking } from './shown-marking';

/** One run the analyses read: its name on screen, its statistics, and its kept samples. */
export interface AnalysesRun {
  label: string;
  summary: SimulationSummary;
  samples: RunSamples;
}

/** What a scenario run needs besides its model: every scenario gets the same seed and iterations. */
export interface ScenarioRunRequest {
  seed: number;
  iterations: number;
  signal: AbortSignal;
}

/** Runs one scenario's model through the engine (the run screen passes renderer/engine/run-simulation). */
export type RunScenario = (model: CompiledModel, request: ScenarioRunRequest) => Promise<SimulationSummary>;

export interface AnalysesPanelProps {
  /** The model the runs are of (its portion marks give each analysis its marking). */
  model: CompiledModel;
  /** At least one run; the first is the one single-run analyses start on, and the comparison's baseline. */
  runs: readonly AnalysesRun[];
  /** The runs' marking (their model's banner): the CSV's first line, and what is shown when a portion cannot be read. */
  banner: ShownMarking;
  /** Absent: the scenarios tab says it needs the engine (a saved run seen without one). */
  runScenario?: RunScenario;
  /** The seed and iterations the scenarios start with (the analyst may change them); default 1 and 10,000. */
  scenarioDefaults?: { seed: number; iterations: number };
  /** Told after a CSV export is written (for the audit log). */
  /**
   * Records an export with the service before the file is saved (the audit log's `run.export`);
   * a rejection stops the export, its message shown.
   */
  onExport?: (event: { run: string; rows: number; columns: number; fileName: string }) => void | Promise<void>;
}
