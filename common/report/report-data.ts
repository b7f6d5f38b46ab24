/**
 * What a report is built from, besides its definition: the model version and the runs, as the
 * report builder loads them from the store (saved runs) or as the CLI has them (a run it just made).
 */
import type { RunSamples } from '../engine/analysis/run-samples';
import type { ConvergenceTrace } from '../engine/cpu/convergence-trace';
import type { SimulationSummary } from '../engine/summary';
import type { MarkingPolicy } from '../markings';
import type { Model } from '../model/model';
import type { AuthorityBlock } from './report-definition';

/** One run of the report: a saved run, or the CLI's own. */
export interface ReportRun {
  /** The run's name ("Baseline", "Run 3 of Cost model"); the CLI's is "this run". */
  label: string;
  /** The run's marking (its model version's banner). */
  banner: string;
  seed: number;
  sampling: 'mc' | 'lhs';
  engine: 'cpu' | 'webgpu';
  engineDescription: string;
  iterations: number;
  appVersion: string;
  startedAt: string;
  finishedAt: string;
  autoStop: { tolerance: number; maxIterations: number } | null;
  summary: SimulationSummary;
  trace: Record<string, ConvergenceTrace>;
  /** The kept samples, or null when the run kept none (the spider plot and sample sheet then say so). */
  samples: RunSamples | null;
}

export interface ReportData {
  model: Model;
  /** The kept model version: its number and SHA-256, as the library lists them. */
  modelVersion: { name: string; version: number; sha256: string };
  runs: ReportRun[];
  /** One summary per scenario of the definition's table, in its order, run at runs[0]'s seed; null without scenarios. */
  scenarioSummaries: SimulationSummary[] | null;
  /** The app that builds the report. */
  appVersion: string;
  /** The report version's time (ISO 8601). */
  createdAt: string;
  /** The site's marking policy, system high and authority-block defaults. */
  policy: MarkingPolicy;
  systemHigh: string;
  authorityDefaults: AuthorityBlock | null;
}
