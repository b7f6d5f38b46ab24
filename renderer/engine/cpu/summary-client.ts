import { buffersOf, type EngineReply, type SummaryPieces } from '../../../common/engine/cpu/messages';
import type { ConvergenceTrace } from '../../../common/engine/cpu/convergence-trace';
import type { SimulationSummary } from '../../../common/engine/summary';
import { RunCancelledError } from '../backend';
import { startEngineWorker } from './worker-url';

/** A statistics worker started ahead of need, so its start is not counted after a run (prestartSummaryWorker). */
let spare: Worker | null = null;

/**
 * Starts the next run's statistics worker now, while the run goes: loading and compiling its code
 * takes a few hundred milliseconds that would otherwise come between the last iteration and the results.
 */
export function prestartSummaryWorker(): void {
  spare ??= startEngineWorker();
}

/** Ends the spare statistics worker (on lock, with the rest of the engine's state). */
export function stopSummaryWorker(): void {
  spare?.terminate();
  spare = null;
}

/**
 * Builds the summary (statistics with exact percentiles, histogram, CDF, sensitivity) in a worker
 * of its own, so tens of millions of values never block the page. The pieces are transferred:
 * the page gives them up. The worker ends with the summary, and with it all that memory.
 */
export interface SummaryWithTraces {
  summary: SimulationSummary;
  /** Each output's convergence trace over its first kept iterations. */
  traces: Record<string, ConvergenceTrace>;
}

export function summarizeInWorker(pieces: SummaryPieces, signal?: AbortSignal): Promise<SummaryWithTraces> {
  if (signal?.aborted) return Promise.reject(new RunCancelledError());
  const worker = spare ?? startEngineWorker();
  spare = null;
  return new Promise<SummaryWithTraces>((resolve, reject) => {
    const finish = (error: Error | null, summary?: SummaryWithTraces) => {
      worker.terminate();
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(summary!);
    };
    const onAbort = () => finish(new RunCancelledError());
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.onmessage = (event: MessageEvent<EngineReply>) => {
      const reply = event.data;
      if (reply.kind === 'summarized') finish(null, { summary: reply.summary, traces: reply.traces });
      else if (reply.kind === 'failed') finish(new Error(`The statistics worker failed: ${reply.message}`));
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      finish(new Error(`The statistics worker stopped: ${event.message || 'it could not start'}.`));
    };
    worker.postMessage({ id: 1, kind: 'summarize', pieces }, buffersOf(pieces.outputs, pieces.inputs));
  });
}
