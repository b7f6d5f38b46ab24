import { parentPort, workerData } from 'node:worker_threads';
import { shareNativeCallClock } from '../../native/pkcs11';
import { createServiceRouter } from './router';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol';

// Entry point of the service worker thread: SQLite, PKCS#11 and file work happen here, off the
// thread that runs the UI's event loop.
const port = parentPort;
if (!port) throw new Error('worker-entry must run in a worker thread');

const post = (message: FromWorker) => port.postMessage(message);
shareNativeCallClock((workerData as WorkerInit).nativeCallClock);
const router = createServiceRouter((workerData as WorkerInit).paths, (line) => post({ type: 'log', line }));

port.on('message', (message: ToWorker) => {
  if (message.type !== 'call') return;
  void router.call(message.namespace, message.method, message.request).then((result) => {
    post({ type: 'result', id: message.id, result });
  });
});
post({ type: 'ready' });
