import { Worker } from 'node:worker_threads';
import { fail, type IpcResult } from '../../common/ipc/result';
import type { ServicePaths } from './context';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol';

export interface ServiceHostOptions {
  /** The built worker bundle (dist/node/service-worker.cjs). */
  workerPath: string;
  paths: ServicePaths;
  callTimeoutMs?: number;
  log?: (line: string) => void;
}

interface Pending {
  resolve: (result: IpcResult<unknown>) => void;
  timer: NodeJS.Timeout;
}

/**
 * Owns the service worker thread and turns calls into messages. Used by the Electron main process,
 * the browser host and the CLI alike. A worker that dies fails its pending calls with UNAVAILABLE
 * and is restarted on the next call (with a fresh session: consent must be given again).
 */
export class ServiceHost {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stopped = false;

  constructor(private readonly options: ServiceHostOptions) {}

  async start(): Promise<void> {
    await this.ensureWorker();
  }

  async call(namespace: string, method: string, request: unknown): Promise<IpcResult<unknown>> {
    if (this.stopped) return fail('UNAVAILABLE', 'The service worker has been stopped.');
    try {
      await this.ensureWorker();
    } catch (error) {
      return fail('UNAVAILABLE', `The service worker could not start: ${(error as Error).message}`);
    }
    const worker = this.worker;
    if (!worker) return fail('UNAVAILABLE', 'The service worker is not running.');
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(fail('UNAVAILABLE', `${namespace}.${method} did not answer in time.`));
      }, this.options.callTimeoutMs ?? 30_000);
      this.pending.set(id, { resolve, timer });
      const message: ToWorker = { type: 'call', id, namespace, method, request };
      worker.postMessage(message);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const worker = this.worker;
    this.worker = null;
    this.failPending('The service worker has been stopped.');
    if (worker) await worker.terminate();
  }

  private ensureWorker(): Promise<void> {
    if (this.worker && this.ready) return this.ready;
    const init: WorkerInit = { paths: this.options.paths };
    const worker = new Worker(this.options.workerPath, { workerData: init });
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') resolve();
        else if (message.type === 'log') this.options.log?.(message.line);
        else if (message.type === 'result') this.settle(message.id, message.result);
      });
    });
    worker.on('error', (error) => this.options.log?.(`service worker error: ${error.message}`));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.ready = null;
      this.failPending(`The service worker stopped (exit code ${code}).`);
    });
    return this.ready;
  }

  private settle(id: number, result: IpcResult<unknown>) {
    const entry = this.pending.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.pending.delete(id);
    entry.resolve(result);
  }

  private failPending(message: string) {
    for (const [id, entry] of this.pending) {
      clearTimeout(entry.timer);
      entry.resolve(fail('UNAVAILABLE', message));
      this.pending.delete(id);
    }
  }
}
