import type { compareSeries } from './comparison';
import type { convergence } from './convergence';
import type { scatter } from './scatter';
import type { tailDrivers } from './tail-drivers';
import type { binnedStatistics, tornado } from './tornado';

/**
 * The analysis worker's messages: a family of their own beside the engine's (common/engine/cpu/
 * messages.ts), carried by the same worker bundle. The page holds a run's samples in the worker
 * once ('analysis.hold', then each column in 'analysis.column'), then asks for analyses by name
 * whose sample arguments are references to what the worker holds ('analysis.run'), and drops a
 * run no longer shown ('analysis.drop').
 */

/** The analyses the worker computes, by name, as their functions' types. */
export interface AnalysisFunctions {
  compareSeries: typeof compareSeries;
  convergence: typeof convergence;
  scatter: typeof scatter;
  tailDrivers: typeof tailDrivers;
  tornado: typeof tornado;
  binnedStatistics: typeof binnedStatistics;
}
export type AnalysisName = keyof AnalysisFunctions;

/**
 * One column of a held run (its first `limit` iterations where given). `R` is how the run is named:
 * the page's id for it on the wire; on the page, before sending, the RunSamples object itself.
 */
export interface SampleRef<R = string> {
  ref: 'sample';
  run: R;
  side: 'inputs' | 'outputs';
  name: string;
  limit?: number;
}

/** Every column of one side of a held run, by name (each its first `limit` iterations where given). */
export interface ColumnsRef<R = string> {
  ref: 'columns';
  run: R;
  side: 'inputs' | 'outputs';
  limit?: number;
}

/** An argument as sent: each array of samples replaced by a reference to a held run. */
export type Referenced<T, R = string> = T extends Float64Array
  ? SampleRef<R>
  : T extends Readonly<Record<string, Float64Array>>
    ? ColumnsRef<R>
    : // Objects, arrays and tuples alike: each member referenced (a mapped type keeps a tuple a tuple).
      T extends object
      ? { [K in keyof T]: Referenced<T[K], R> }
      : T;

/** One analysis asked for: its name and its arguments, samples as references. */
export type AnalysisCall<K extends AnalysisName = AnalysisName, R = string> = {
  [N in K]: { analysis: N; args: Referenced<Parameters<AnalysisFunctions[N]>, R> };
}[K];

export type AnalysisResult<K extends AnalysisName> = ReturnType<AnalysisFunctions[K]>;

/** Where a column goes in a held run (an input that is also an output goes to both, sent once). */
export interface ColumnPlace {
  side: 'inputs' | 'outputs';
  name: string;
}

export type AnalysisRequest =
  | { kind: 'analysis.hold'; run: string; iterations: number }
  | { kind: 'analysis.column'; run: string; places: ColumnPlace[]; values: Float64Array }
  | { kind: 'analysis.run'; id: number; call: AnalysisCall }
  | { kind: 'analysis.drop'; run: string };

export type AnalysisReply =
  { kind: 'analysis.done'; id: number; result: unknown } | { kind: 'analysis.failed'; id: number; message: string };

/** Whether a message to the engine worker is one of the analysis family (the rest are the engine's). */
export function isAnalysisRequest(message: unknown): message is AnalysisRequest {
  const kind = (message as { kind?: unknown } | null)?.kind;
  return typeof kind === 'string' && kind.startsWith('analysis.');
}
