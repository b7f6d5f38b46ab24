import type { EngineReply, EngineRequest } from '../../../common/engine/cpu/messages';
import { EngineWorkerCore } from '../../../common/engine/cpu/worker-core';
import {
  isAnalysisRequest,
  type AnalysisReply,
  type AnalysisRequest,
} from '../../../common/engine/analysis/analysis-messages';
import { AnalysisWorkerCore } from '../../../common/engine/analysis/analysis-worker-core';

/**
 * One CPU engine worker (a module Web Worker): common/engine/cpu's worker, its messages carried
 * by postMessage (transferred, not copied: the page is not cross-origin isolated, so there is no
 * SharedArrayBuffer). It runs a partition of a simulation and the statistics passes over it, or
 * builds a run's summary, so none of that work blocks the page. The same bundle is the analysis
 * worker (renderer/engine/analysis-client.ts): the one worker script the Trusted Types policy
 * passes, its 'analysis.*' messages going to common/engine/analysis's core.
 */
// The DOM lib has no worker-scope type; these two members are all this file uses.
const scope = self as unknown as {
  postMessage(message: EngineReply | AnalysisReply, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<EngineRequest | AnalysisRequest>) => void) | null;
};

const core = new EngineWorkerCore();
// Made on the first analysis message: an engine worker never needs one.
let analyses: AnalysisWorkerCore | null = null;

scope.onmessage = (event: MessageEvent<EngineRequest | AnalysisRequest>) => {
  const request = event.data;
  if (isAnalysisRequest(request)) {
    const reply = (analyses ??= new AnalysisWorkerCore()).answer(request);
    if (reply) scope.postMessage(reply, []);
    return;
  }
  const { id } = request;
  const { reply, transfer } = core.answer(request, (done) => scope.postMessage({ id, kind: 'progress', done }, []));
  scope.postMessage(reply, transfer);
};
