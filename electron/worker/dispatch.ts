import { findChannel, maxRequestBytesOf } from '../../common/ipc/contract';
import { fail, issuesFromZod, type IpcResult } from '../../common/ipc/result';

export interface ServiceCaller {
  call(namespace: string, method: string, request: unknown): Promise<IpcResult<unknown>>;
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
 * known channel → size limit → strict schema → service → response schema. Callers check the
 * sender (frame or token) before calling this.
 */
export function createDispatcher(services: ServiceCaller, log: (line: string) => void = () => {}) {
  return async function dispatch(channel: string, payload: unknown): Promise<IpcResult<unknown>> {
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

    const request = ref.spec.request.safeParse(payload);
    if (!request.success) {
      return fail(
        'INVALID_ARGUMENT',
        `${ref.namespace}.${ref.method}: the request is invalid.`,
        issuesFromZod(request.error),
      );
    }

    const result = await services.call(ref.namespace, ref.method, request.data);
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
