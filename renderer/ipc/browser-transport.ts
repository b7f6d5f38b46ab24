import { IpcEnvelopeSchema, type IpcResult } from '../../common/ipc/result';
import type { Transport } from '../../common/ipc/bridge';
import { ChosenFileSchema, type ChosenFile } from '../../common/ipc/files';

const TOKEN_KEY = 'enclave.bridgeToken';

/**
 * The browser host hands the per-launch token in the URL fragment (never sent to a server).
 * Keep it for this tab only and take it out of the address bar.
 */
function takeToken(): string | null {
  const match = /^#token=([A-Za-z0-9_-]{20,128})$/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', window.location.pathname);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function unavailable(message: string): IpcResult<never> {
  return { ok: false, error: { code: 'UNAVAILABLE', message } };
}

const NO_TOKEN = 'This page was opened without its bridge token. Start Enclave with npm start.';

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
 * The host's event stream (one JSON event per line), read with fetch so the token travels in a
 * header; reopened a second after it drops, for as long as anyone listens.
 */
function eventStream(token: string | null) {
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
        const response = await fetch('/events', {
          headers: { 'X-Enclave-Token': token ?? '' },
          credentials: 'omit',
          cache: 'no-store',
          signal: controller.signal,
        });
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
    if (!open && token) {
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
  const token = takeToken();
  return {
    async call(channel, request, callId) {
      if (!token) return unavailable(NO_TOKEN);
      try {
        return await envelope(
          await fetch(`/rpc/${encodeURIComponent(channel)}`, {
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              'X-Enclave-Token': token,
              ...(callId ? { 'X-Enclave-Call-Id': callId } : {}),
            },
            body: JSON.stringify(request),
            credentials: 'omit',
            cache: 'no-store',
          }),
        );
      } catch {
        return unavailable('The Enclave services are not reachable. Is the host still running?');
      }
    },
    cancel(callId) {
      if (!token) return;
      void fetch(`/cancel/${encodeURIComponent(callId)}`, {
        method: 'POST',
        headers: { 'X-Enclave-Token': token },
        credentials: 'omit',
        cache: 'no-store',
      }).catch(() => {});
    },
    subscribe: eventStream(token),
  };
}

/**
 * The browser host's file choice: the page streams a file the user picked to the host, which keeps
 * it in a temporary file and answers with a handle (Electron's dialog does this in the main process).
 */
export async function uploadFile(file: File): Promise<IpcResult<ChosenFile>> {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return unavailable(NO_TOKEN);
  let result: IpcResult<unknown>;
  try {
    result = await envelope(
      await fetch(`/upload?name=${encodeURIComponent(file.name)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/octet-stream', 'X-Enclave-Token': token },
        body: file,
        credentials: 'omit',
        cache: 'no-store',
      }),
    );
  } catch {
    return unavailable(`${file.name} could not be sent to the Enclave services. Is the host still running?`);
  }
  if (!result.ok) return result;
  const chosen = ChosenFileSchema.safeParse(result.value);
  return chosen.success ? { ok: true, value: chosen.data } : unavailable('The upload sent an unreadable answer.');
}
