import { parentPort } from 'node:worker_threads';
import type { EngineReply, EngineRequest } from '../../../common/engine/cpu/messages';
import { EngineWorkerCore } from '../../../common/engine/cpu/worker-core';

// One CPU engine worker thread (the CLI's): common/engine/cpu's worker, its messages carried by
// worker_threads. It writes its partition into the run's shared arrays and gives its moments;
// then counts, bounds and collects its partition for the pool's exact percentiles.
const port = parentPort;
if (!port) throw new Error('engine-worker must run in a worker thread');

const core = new EngineWorkerCore();

port.on('message', (request: EngineRequest) => {
  const progress = (done: number) => port.postMessage({ id: request.id, kind: 'progress', done } satisfies EngineReply);
  const { reply, transfer } = core.answer(request, progress);
  port.postMessage(reply, transfer);
});
