import type { EngineReply, EngineRequest } from '../../../common/engine/cpu/messages';
import { EngineWorkerCore } from '../../../common/engine/cpu/worker-core';

/**
 * One CPU engine worker (a module Web Worker): common/engine/cpu's worker, its messages carried
 * by postMessage (transferred, not copied: the page is not cross-origin isolated, so there is no
 * SharedArrayBuffer). It runs a partition of a simulation and the statistics passes over it, or
 * builds a run's summary, so none of that work blocks the page.
 */
// The DOM lib has no worker-scope type; these two members are all this file uses.
const scope = self as unknown as {
  postMessage(message: EngineReply, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<EngineRequest>) => void) | null;
};

const core = new EngineWorkerCore();

scope.onmessage = (event: MessageEvent<EngineRequest>) => {
  const { id } = event.data;
  const { reply, transfer } = core.answer(event.data, (done) => scope.postMessage({ id, kind: 'progress', done }, []));
  scope.postMessage(reply, transfer);
};
