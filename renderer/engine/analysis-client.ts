import { AnalysisClient, type AnalysisWorkerPort } from '../../common/engine/analysis/analysis-client-core';
import type { AnalysisReply } from '../../common/engine/analysis/analysis-messages';
import { startEngineWorker } from './cpu/worker-url';

/**
 * The analyses (common/engine/analysis) computed in a worker, so a million iterations never block
 * the page: one analysis worker, the engine's own bundle (the only worker script the Trusted Types
 * policy passes), started on the first request and ended on lock (forgetEngineState).
 */
export {
  AnalysisSlot,
  AnalysisSupersededError,
  columnsOf,
  sampleOf,
  type PageAnalysisCall,
} from '../../common/engine/analysis/analysis-client-core';

/** The analysis worker's port over a new engine worker. */
function startAnalysisWorker(): AnalysisWorkerPort {
  const worker = startEngineWorker();
  return {
    postMessage: (request, transfer) => worker.postMessage(request, transfer),
    listen(onReply, onError) {
      worker.onmessage = (event: MessageEvent<AnalysisReply>) => onReply(event.data);
      worker.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        onError(event.message);
      };
    },
    terminate: () => worker.terminate(),
  };
}

let client: AnalysisClient | null = null;

/** The page's analysis client (its worker starts with the first request). */
export function analysisClient(): AnalysisClient {
  // A timer's turn between copied slices, so the page paints and answers input while a run goes over.
  return (client ??= new AnalysisClient(startAnalysisWorker, () => new Promise((resolve) => setTimeout(resolve, 0))));
}

/** Ends the analysis worker and forgets the runs it held (on lock, with the rest of the engine's state). */
export function stopAnalysisWorker(): void {
  client?.stop();
  client = null;
}
