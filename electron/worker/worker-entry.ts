import { parentPort, workerData } from 'node:worker_threads';
import { shareNativeCallClock } from '../../native/pkcs11';
import { FileRegistry } from './file-registry';
import { createServiceRouter } from './router';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol';

// Entry point of the service worker thread: SQLite, PKCS#11 and file work happen here, off the
// thread that runs the UI's event loop.
const port = parentPort;
if (!port) throw new Error('worker-entry must run in a worker thread');

const post = (message: FromWorker) => port.postMessage(message);
shareNativeCallClock((workerData as WorkerInit).nativeCallClock);
const router = createServiceRouter(
  (workerData as WorkerInit).paths,
  (line) => post({ type: 'log', line }),
  (event) => post({ type: 'event', event }),
);
const files = new FileRegistry((handle) => post({ type: 'file-released', handle }));
const running = new Map<number, AbortController>();

port.on('message', (message: ToWorker) => {
  if (message.type === 'file') files.add(message.file);
  else if (message.type === 'watch') router.watch(message.on);
  else if (message.type === 'cancel') running.get(message.id)?.abort();
  else if (message.type === 'call') {
    const { id, callId } = message;
    const controller = new AbortController();
    running.set(id, controller);
    const callFiles = files.forCall();
    const progress = (done: number, total: number | null, text: string) => {
      if (callId)
        post({ type: 'event', event: { name: 'job.progress', payload: { callId, done, total, message: text } } });
    };
    void router
      .call(message.namespace, message.method, message.request, {
        signal: controller.signal,
        progress,
        file: callFiles.file,
      })
      .then((result) => {
        running.delete(id);
        callFiles.release();
        post({ type: 'result', id, result });
      });
  }
});
post({ type: 'ready' });
