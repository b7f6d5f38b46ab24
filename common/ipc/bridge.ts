import {
  contract,
  channelName,
  type Contract,
  type RequestOf,
  type ResponseOf,
  type Namespace,
  type MethodOf,
} from './contract';
import type { IpcResult } from './result';

/** Sends one request on one named channel; supplied by the preload (ipcRenderer) or the browser host (fetch). */
export type Transport = (channel: string, request: unknown) => Promise<unknown>;

type MethodFn<N extends Namespace, M extends MethodOf<N>> =
  // Channels whose request has no required field can be called with no argument.
  Record<never, never> extends RequestOf<N, M>
    ? (request?: RequestOf<N, M>) => Promise<IpcResult<ResponseOf<N, M>>>
    : (request: RequestOf<N, M>) => Promise<IpcResult<ResponseOf<N, M>>>;

export type EnclaveBridge = { readonly [N in Namespace]: { readonly [M in MethodOf<N>]: MethodFn<N, M> } };

/**
 * Builds the bridge object: one named function per contract channel and nothing else, so the
 * renderer can never name an arbitrary channel. The transport stays captured in the closure.
 */
export function makeBridge(transport: Transport): EnclaveBridge {
  const bridge: Record<string, Record<string, (request?: unknown) => Promise<unknown>>> = {};
  for (const namespace of Object.keys(contract) as Namespace[]) {
    const methods: Record<string, (request?: unknown) => Promise<unknown>> = {};
    for (const method of Object.keys(contract[namespace])) {
      const name = channelName(namespace, method);
      methods[method] = (request?: unknown) => transport(name, request ?? {});
    }
    bridge[namespace] = Object.freeze(methods);
  }
  return Object.freeze(bridge) as unknown as EnclaveBridge;
}

export type { Contract };
