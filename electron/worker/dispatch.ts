import { findChannel, maxRequestBytesOf } from '../../common/ipc/contract';
import { parseEvent, type EnclaveEvent } from '../../common/ipc/events';
import { fail, issuesFromZod, type IpcResult } from '../../common/ipc/result';
import type { CallOptions } from './service-host';

export interface ServiceCaller {
  call(namespace: string, method: string, request: unknown, options?: CallOptions): Promise<IpcResult<unknown>>;
}

export interface EventSource {
  onEvent(listener: (event: EnclaveEvent) => void): () => void;
}

/** Passes the services' events on to a window or a client, each checked against its schema first. */
export function relayEvents(
  services: EventSource,
  send: (event: EnclaveEvent) => void,
  log: (line: string) => void = () => {},
): () => void {
  return services.onEvent((event) => {
    const checked = parseEvent(event);
    if (checked) send(checked);
    else log(`event ${String((event as { name?: unknown }).name).slice(0, 80)} failed its schema; not sent`);
  });
}

function serializedSize(payload: unknown): number | null {
  try {
    const json = JSON.stringify(payload);
    return json === undefined ? null : Buffer.byteLength(json, 'utf8');
  } catch {
    return null;
  }
}

/**
 * The one gate every bridge call passes, in Electron (ipcMain) and in the browser host (HTTP):
 * known channel → size limit → service worker (consent, role, strict request schema, service) →
 * response schema. Callers check the sender (frame or token) before calling this.
 */
export function createDispatcher(services: ServiceCaller, log: (line: string) => void = () => {}) {
  return async function dispatch(
    channel: string,
    payload: unknown,
    options: CallOptions = {},
  ): Promise<IpcResult<unknown>> {
    const ref = findChannel(channel);
    if (!ref) return fail('UNKNOWN_CHANNEL', `Unknown channel "${channel.slice(0, 80)}".`);

    const size = serializedSize(payload);
    if (size === null)
      return fail('INVALID_ARGUMENT', `${ref.namespace}.${ref.method}: the request is not plain JSON data.`);
    const limit = maxRequestBytesOf(ref.spec);
    if (size > limit) {
      return fail(
        'INVALID_ARGUMENT',
        `${ref.namespace}.${ref.method}: the request is ${size} bytes; the limit is ${limit}.`,
      );
    }

    // The strict request schema is checked in the service worker, after the role (access-guard.ts):
    // a caller without the role is refused, and audited, whatever shape its request has.
    const result = await services.call(ref.namespace, ref.method, payload, options);
    if (!result.ok) return result;

    const response = ref.spec.response.safeParse(result.value);
    if (!response.success) {
      log(`${ref.name}: response failed its schema: ${JSON.stringify(issuesFromZod(response.error))}`);
      return fail('INTERNAL', `${ref.namespace}.${ref.method} returned an unexpected answer.`);
    }
    return { ok: true, value: response.data };
  };
}

export type Dispatch = ReturnType<typeof createDispatcher>;
