import { IpcEnvelopeSchema, type IpcResult } from '../../common/ipc/result';
import { checkedPrint, type Transport } from '../../common/ipc/bridge';
import type { ReportPrintRequest } from '../../common/report/report-document';
import { ChosenFileSchema, type ChosenFile, type FilePurpose } from '../../common/ipc/files';

/**
 * The browser host lets one browser in: the launcher's one-time bootstrap set an HttpOnly,
 * SameSite=Strict session cookie in this profile, which every request below carries
 * (`credentials: 'same-origin'`). The page never sees it; without it the host answers 401.
 */
const WITH_SESSION = { credentials: 'same-origin', cache: 'no-store' } as const;

function unavailable(message: string): IpcResult<never> {
  return { ok: false, error: { code: 'UNAVAILABLE', message } };
}

async function envelope(response: Response): Promise<IpcResult<unknown>> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return unavailable(`The Enclave services answered with HTTP ${response.status} and no result.`);
  }
  const parsed = IpcEnvelopeSchema.safeParse(body);
  return parsed.success ? parsed.data : unavailable('The Enclave services sent an unreadable answer.');
}

/**
 * The host's event stream (one JSON event per line), read with fetch; reopened a second after it
 * drops, for as long as anyone listens.
 */
function eventStream() {
  const listeners = new Set<(event: unknown) => void>();
  let open: AbortController | null = null;

  // While the stream was down the page may have missed a lock: a drop and a reconnection each say
  // so, and the login state reads the session again (failing shut if the host is gone).
  const mayHaveMissed = () => {
    for (const listener of listeners) listener({ name: 'identity.changed', payload: { unlocked: false } });
  };

  async function run(controller: AbortController) {
    let dropped = false;
    while (!controller.signal.aborted) {
      try {
        const response = await fetch('/events', { ...WITH_SESSION, signal: controller.signal });
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        mayHaveMissed();
        dropped = false;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffered = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffered += value;
          const lines = buffered.split('\n');
          buffered = lines.pop() ?? '';
          for (const line of lines.filter((l) => l.trim() !== '')) {
            let event: unknown;
            try {
              event = JSON.parse(line);
            } catch {
              continue;
            }
            for (const listener of listeners) listener(event);
          }
        }
      } catch {
        // Refused or broken: try again shortly (the bridge checks every event it passes on).
      }
      if (controller.signal.aborted) break;
      if (!dropped) mayHaveMissed();
      dropped = true;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  return (listener: (event: unknown) => void) => {
    listeners.add(listener);
    if (!open) {
      open = new AbortController();
      void run(open);
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) {
        open?.abort();
        open = null;
      }
    };
  };
}

/** Carries bridge calls to the browser host over loopback HTTP (development and tests only). */
export function createBrowserTransport(): Transport {
  return {
    async call(channel, request, callId) {
      try {
        return await envelope(
          await fetch(`/rpc/${encodeURIComponent(channel)}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', ...(callId ? { 'X-Enclave-Call-Id': callId } : {}) },
            body: JSON.stringify(request),
            ...WITH_SESSION,
          }),
        );
      } catch {
        return unavailable('The Enclave services are not reachable. Is the host still running?');
      }
    },
    cancel(callId) {
      void fetch(`/cancel/${encodeURIComponent(callId)}`, { method: 'POST', ...WITH_SESSION }).catch(() => {});
    },
    subscribe: eventStream(),
  };
}

/**
 * The browser host's file choice: the page streams a file the user picked to the host, which keeps
 * it in a temporary file and answers with a handle (Electron's dialog does this in the main process).
 */
export async function uploadFile(file: File, purpose?: FilePurpose): Promise<IpcResult<ChosenFile>> {
  let result: IpcResult<unknown>;
  const query = `name=${encodeURIComponent(file.name)}${purpose ? `&purpose=${purpose}` : ''}`;
  try {
    result = await envelope(
      await fetch(`/upload?${query}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/octet-stream' },
        body: file,
        ...WITH_SESSION,
      }),
    );
  } catch {
    return unavailable(`${file.name} could not be sent to the Enclave services. Is the host still running?`);
  }
  if (!result.ok) return result;
  const chosen = ChosenFileSchema.safeParse(result.value);
  return chosen.success ? { ok: true, value: chosen.data } : unavailable('The upload sent an unreadable answer.');
}

/** The printed types the host answers /print with; anything else is an error envelope (JSON). */
const PRINTED_TYPES = ['application/pdf', 'image/png'];

/**
 * The browser host's report printer: the page posts the request and gets the PDF or PNG bytes back
 * (Electron prints in its main process instead: the bridge's files.print).
 */
export async function printOnHost(request: ReportPrintRequest): Promise<IpcResult<Uint8Array>> {
  let response: Response;
  try {
    response = await fetch('/print', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
      ...WITH_SESSION,
    });
  } catch {
    return unavailable('The report printer is not reachable. Is the host still running?');
  }
  const type = (response.headers.get('Content-Type') ?? '').split(';')[0]!.trim();
  if (!response.ok || !PRINTED_TYPES.includes(type)) {
    const refusal = await envelope(response);
    return refusal.ok ? unavailable('The report printer sent an unreadable answer.') : refusal;
  }
  try {
    return checkedPrint({ ok: true, value: new Uint8Array(await response.arrayBuffer()) });
  } catch {
    return unavailable('The printed report did not arrive whole; print it again.');
  }
}
