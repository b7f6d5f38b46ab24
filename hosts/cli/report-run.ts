import type { RunSamples } from '../../common/engine/analysis/run-samples';
import { convergenceTraces } from '../../common/engine/cpu/convergence-trace';
import type { SimulationSummary } from '../../common/engine/summary';
import type { ReportRun } from '../../common/report/report-data';
import { APP_VERSION } from '../../common/version';

/** What `enclave simulate` has of its run when it makes the report. */
export interface CliRun {
  /** The model's canonical banner line. */
  banner: string;
  seed: number;
  sampling: 'mc' | 'lhs';
  iterations: number;
  threads: number;
  startedAt: Date;
  finishedAt: Date;
  autoStop: { tolerance: number; maxIterations: number } | null;
  summary: SimulationSummary;
  /** Every output's values, iteration by iteration. */
  outputs: Record<string, Float64Array>;
  /** Each input's values over the first iterations the run kept (for sensitivity); absent when it kept none. */
  inputs: Record<string, Float64Array> | undefined;
}

/**
 * The kept samples: the first iterations for which the run kept its inputs (SENSITIVITY_ITERATIONS
 * at most), every output cut to the same count so index i is one iteration. Null when none was kept.
 */
function keptSamples(run: CliRun): RunSamples | null {
  const inputs = run.inputs ? Object.values(run.inputs) : [];
  const kept = inputs.length === 0 ? 0 : Math.min(...inputs.map((values) => values.length));
  if (kept === 0) return null;
  const cut = (values: Record<string, Float64Array>) =>
    Object.fromEntries(Object.entries(values).map(([name, v]) => [name, v.subarray(0, kept)]));
  return { iterations: kept, inputs: cut(run.inputs!), outputs: cut(run.outputs) };
}

/**
 * The CLI's run as a report run ("this run"), with what the app's saved runs carry: its settings,
 * the app version, its times, the summary, the convergence trace (as the app's engine computes it:
 * the first TRACE_ITERATIONS of each output) and the kept samples.
 */
export function cliReportRun(run: CliRun): ReportRun {
  return {
    label: 'this run',
    banner: run.banner,
    seed: run.seed,
    sampling: run.sampling,
    engine: 'cpu',
    engineDescription: `CPU worker threads (${run.threads}), enclave simulate`,
    iterations: run.iterations,
    appVersion: APP_VERSION,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt.toISOString(),
    autoStop: run.autoStop,
    summary: run.summary,
    trace: convergenceTraces(Object.fromEntries(Object.entries(run.outputs).map(([name, v]) => [name, [v]]))),
    samples: keptSamples(run),
  };
}
