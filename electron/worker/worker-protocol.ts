import type { EnclaveEvent } from '../../common/ipc/events';
import type { IpcResult } from '../../common/ipc/result';
import type { ServicePaths } from '../services/context';
import type { FileRef } from '../services/service-call';

/** A file the host handed over: its handle, where it is, and whether the host made it (an upload) and deletes it. */
export interface HandedFile extends FileRef {
  handle: string;
}

/** Messages between a ServiceHost and its service worker thread. */
export type ToWorker =
  | { type: 'call'; id: number; namespace: string; method: string; request: unknown; callId?: string }
  | { type: 'cancel'; id: number }
  | { type: 'file'; file: HandedFile }
  /** Whether anyone listens for events (the identity watch polls the readers only then). */
  | { type: 'watch'; on: boolean };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: IpcResult<unknown> }
  | { type: 'log'; line: string }
  | { type: 'event'; event: EnclaveEvent }
  /** The call that used this handle is over: the host may forget it (and delete an upload). */
  | { type: 'file-released'; handle: string };

export interface WorkerInit {
  paths: ServicePaths;
  /** native/pkcs11/call-clock.ts: lets the host see a PKCS#11 call that never returns. */
  nativeCallClock: SharedArrayBuffer;
}
