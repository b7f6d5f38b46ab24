import type { IpcResult } from '../../common/ipc/result';
import type { ServicePaths } from '../services/context';

/** Messages between a ServiceHost and its service worker thread. */
export type ToWorker = { type: 'call'; id: number; namespace: string; method: string; request: unknown };
export type FromWorker =
  { type: 'ready' } | { type: 'result'; id: number; result: IpcResult<unknown> } | { type: 'log'; line: string };

export interface WorkerInit {
  paths: ServicePaths;
  /** native/pkcs11/call-clock.ts: lets the host see a PKCS#11 call that never returns. */
  nativeCallClock: SharedArrayBuffer;
}
