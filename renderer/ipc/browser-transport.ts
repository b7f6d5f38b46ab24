import { IpcEnvelopeSchema, type IpcResult } from '../../common/ipc/result';
import type { Transport } from '../../common/ipc/bridge';

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

/** Carries bridge calls to the browser host over loopback HTTP (development and tests only). */
export function createBrowserTransport(): Transport {
  const token = takeToken();
  return async (channel, request) => {
    if (!token) return unavailable('This page was opened without its bridge token. Start Enclave with npm start.');
    let response: Response;
    try {
      response = await fetch(`/rpc/${encodeURIComponent(channel)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Enclave-Token': token },
        body: JSON.stringify(request),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      return unavailable('The Enclave services are not reachable. Is the host still running?');
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      return unavailable(`The Enclave services answered with HTTP ${response.status} and no result.`);
    }
    const envelope = IpcEnvelopeSchema.safeParse(body);
    return envelope.success ? envelope.data : unavailable('The Enclave services sent an unreadable answer.');
  };
}
