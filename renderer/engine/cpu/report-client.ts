import type { SimulationReport } from '../../../common/engine/summary';
import { RunCancelledError } from '../backend';
import { buffersOf, type ReportPieces, type WorkerReply, type WorkerRequest } from './messages';
import { startEngineWorker } from './worker-url';

/**
 * Builds the report (statistics with exact percentiles, histogram, CDF, sensitivity) in a worker
 * of its own, so tens of millions of values never block the page. The pieces are transferred:
 * the page gives them up. The worker ends with the report, and with it all that memory.
 */
export function buildReportInWorker(pieces: ReportPieces, signal?: AbortSignal): Promise<SimulationReport> {
  if (signal?.aborted) return Promise.reject(new RunCancelledError());
  const worker = startEngineWorker();
  return new Promise<SimulationReport>((resolve, reject) => {
    const finish = (error: Error | null, report?: SimulationReport) => {
      worker.terminate();
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(report!);
    };
    const onAbort = () => finish(new RunCancelledError());
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      const reply = event.data;
      if (reply.type === 'report') finish(null, reply.report);
      else if (reply.type === 'failed') finish(new Error(`The statistics worker failed: ${reply.message}`));
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      finish(new Error(`The statistics worker stopped: ${event.message || 'it could not start'}.`));
    };
    worker.postMessage(
      { id: 1, type: 'report', pieces } satisfies WorkerRequest,
      buffersOf(pieces.outputs, pieces.inputs),
    );
  });
}
