import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { EnclaveEvent } from '../../common/ipc/events';
import type { ChosenFile } from '../../common/ipc/files';
import { fail, type IpcResult } from '../../common/ipc/result';
import { NATIVE_CALL_CLOCK_BYTES, nativeCallRunningSince } from '../../native/pkcs11/call-clock';
import type { ServicePaths } from '../services/context';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol';

export interface ServiceHostOptions {
  /** The built worker bundle (dist/node/service-worker.cjs). */
  workerPath: string;
  paths: ServicePaths;
  callTimeoutMs?: number;
  log?: (line: string) => void;
  /** A PKCS#11 call running longer than this means the card middleware hangs (default 15 s). */
  hungAfterMs?: number;
  /**
   * Called once when it hangs. The worker cannot be stopped while it is blocked in native code,
   * and it may hold the data key, so the app process should end (fail shut).
   */
  onHung?: (message: string) => void;
}

export const HUNG_MIDDLEWARE =
  'The smart card software (PKCS#11 module) stopped answering, so Enclave has closed its session to protect the data. Remove and reinsert your card, then start Enclave again.';

interface Pending {
  resolve: (result: IpcResult<unknown>) => void;
  timer: NodeJS.Timeout;
}

/** How a caller may follow a call: cancel it, and name it so its progress events reach it. */
export interface CallOptions {
  signal?: AbortSignal;
  callId?: string;
}

/** A file a host hands to the services: `temporary` ones (uploads) are the host's to delete. */
export interface HostFile {
  path: string;
  name: string;
  size: number;
  temporary: boolean;
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
  private hung = false;
  private watchdog: NodeJS.Timeout | null = null;
  private readonly listeners = new Set<(event: EnclaveEvent) => void>();
  private readonly files = new Map<string, HostFile>();

  constructor(private readonly options: ServiceHostOptions) {}

  async start(): Promise<void> {
    await this.ensureWorker();
  }

  /** Events the services push (session, progress); returns the unsubscribe function. */
  onEvent(listener: (event: EnclaveEvent) => void): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.worker?.postMessage({ type: 'watch', on: true } satisfies ToWorker);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.worker?.postMessage({ type: 'watch', on: false } satisfies ToWorker);
    };
  }

  /** Told to every listener when the services end or restart: whatever session there was is gone. */
  private sessionGone() {
    for (const listener of this.listeners) listener({ name: 'identity.changed', payload: { unlocked: false } });
  }

  /**
   * Hands a file to the services and returns its handle for the renderer. The worker learns of it
   * before any later call can name it (messages keep their order).
   */
  async registerFile(file: HostFile): Promise<ChosenFile> {
    await this.ensureWorker();
    const handle = `file-${randomBytes(16).toString('hex')}`;
    this.files.set(handle, file);
    const message: ToWorker = { type: 'file', file: { handle, path: file.path, name: file.name, size: file.size } };
    this.worker?.postMessage(message);
    return { handle, name: file.name, size: file.size };
  }

  async call(
    namespace: string,
    method: string,
    request: unknown,
    options: CallOptions = {},
  ): Promise<IpcResult<unknown>> {
    if (this.stopped) return fail('UNAVAILABLE', 'The service worker has been stopped.');
    if (this.hung) return fail('UNAVAILABLE', HUNG_MIDDLEWARE);
    try {
      await this.ensureWorker();
    } catch (error) {
      return fail('UNAVAILABLE', `The service worker could not start: ${(error as Error).message}`);
    }
    const worker = this.worker;
    if (!worker) return fail('UNAVAILABLE', 'The service worker is not running.');
    const id = this.nextId++;
    const { signal, callId } = options;
    if (signal?.aborted) return fail('CANCELLED', `${namespace}.${method} was cancelled.`);
    return new Promise((resolve) => {
      const cancel = () => worker.postMessage({ type: 'cancel', id } satisfies ToWorker);
      const timer = setTimeout(() => {
        this.pending.delete(id);
        signal?.removeEventListener('abort', cancel);
        resolve(fail('UNAVAILABLE', `${namespace}.${method} did not answer in time.`));
      }, this.options.callTimeoutMs ?? 30_000);
      signal?.addEventListener('abort', cancel, { once: true });
      this.pending.set(id, {
        resolve: (result) => {
          signal?.removeEventListener('abort', cancel);
          resolve(result);
        },
        timer,
      });
      const message: ToWorker = { type: 'call', id, namespace, method, request, ...(callId ? { callId } : {}) };
      worker.postMessage(message);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.watchdog) clearInterval(this.watchdog);
    const worker = this.worker;
    this.worker = null;
    this.failPending('The service worker has been stopped.');
    for (const handle of [...this.files.keys()]) this.forgetFile(handle);
    // A worker blocked in native code never finishes terminating: do not wait for it then.
    if (worker && !this.hung) await worker.terminate();
    else if (worker) void worker.terminate();
  }

  private ensureWorker(): Promise<void> {
    if (this.worker && this.ready) return this.ready;
    const clock = new SharedArrayBuffer(NATIVE_CALL_CLOCK_BYTES);
    const init: WorkerInit = { paths: this.options.paths, nativeCallClock: clock };
    const worker = new Worker(this.options.workerPath, { workerData: init });
    this.worker = worker;
    this.watch(clock);
    this.ready = new Promise<void>((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') {
          // A restarted worker watches again for the windows that listen.
          if (this.listeners.size > 0) worker.postMessage({ type: 'watch', on: true } satisfies ToWorker);
          resolve();
        } else if (message.type === 'log') this.options.log?.(message.line);
        else if (message.type === 'result') this.settle(message.id, message.result);
        else if (message.type === 'event') for (const listener of this.listeners) listener(message.event);
        else if (message.type === 'file-released') this.forgetFile(message.handle);
      });
    });
    worker.on('error', (error) => this.options.log?.(`service worker error: ${error.message}`));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.ready = null;
      this.failPending(`The service worker stopped (exit code ${code}).`);
      // Its handles died with it: the renderer chooses the files again.
      for (const handle of [...this.files.keys()]) this.forgetFile(handle);
      this.sessionGone();
    });
    return this.ready;
  }

  /** Checks the worker's PKCS#11 call clock; a call stuck past hungAfterMs ends the service for good. */
  private watch(clock: SharedArrayBuffer) {
    if (this.watchdog) clearInterval(this.watchdog);
    const limit = this.options.hungAfterMs ?? 15_000;
    this.watchdog = setInterval(
      () => {
        const since = nativeCallRunningSince(clock);
        if (this.hung || since === null || Date.now() - since < limit) return;
        this.hung = true;
        if (this.watchdog) clearInterval(this.watchdog);
        this.options.log?.(
          `service worker: a PKCS#11 call has not returned for ${Math.round((Date.now() - since) / 1000)} s; closing the services`,
        );
        this.failPending(HUNG_MIDDLEWARE);
        this.options.onHung?.(HUNG_MIDDLEWARE);
        this.sessionGone();
      },
      Math.min(1000, Math.max(50, limit / 4)),
    );
    this.watchdog.unref();
  }

  /** Forgets a handle; an upload's temporary file goes with it. */
  private forgetFile(handle: string) {
    const file = this.files.get(handle);
    this.files.delete(handle);
    if (file?.temporary) rmSync(file.path, { force: true });
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
