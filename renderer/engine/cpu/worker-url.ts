// Vite builds worker.ts (and what it imports) as its own module file and gives its URL here.
import workerUrl from './worker?worker&url';
import type { EngineReply } from '../../../common/engine/cpu/messages';
import type { EngineWorkerPort } from './pool';
import { ENGINE_WORKER_POLICY } from './trusted-types';

/**
 * The CSP has `require-trusted-types-for 'script'`, and a Worker's script URL is a Trusted Types
 * sink: a plain string is refused. This named policy (the only one the CSP's `trusted-types`
 * directive allows) passes exactly one URL, the engine worker's own, from this origin.
 */
export { ENGINE_WORKER_POLICY };

// TypeScript's DOM lib has no Trusted Types yet: just what this file uses.
interface ScriptUrlPolicy {
  createScriptURL(input: string): unknown;
}
interface TrustedTypesFactory {
  createPolicy(name: string, rules: { createScriptURL(input: string): string }): ScriptUrlPolicy;
}

let policy: ScriptUrlPolicy | null = null;

function engineWorkerUrl(): string {
  const url = new URL(workerUrl, window.location.href);
  if (url.origin !== window.location.origin)
    throw new Error(`The engine worker must come from this origin, not ${url.origin}.`);
  return url.href;
}

function trustedWorkerUrl(): unknown {
  const expected = engineWorkerUrl();
  const factory = (globalThis as { trustedTypes?: TrustedTypesFactory }).trustedTypes;
  if (!factory) return expected; // a browser without Trusted Types has no sink to satisfy
  policy ??= factory.createPolicy(ENGINE_WORKER_POLICY, {
    createScriptURL(input) {
      if (input !== expected)
        throw new TypeError(`The ${ENGINE_WORKER_POLICY} policy passes only the engine worker, not ${input}.`);
      return input;
    },
  });
  return policy.createScriptURL(expected);
}

/** A new engine worker (a module worker, so it imports common/engine as ES modules). */
export function startEngineWorker(): Worker {
  return new Worker(trustedWorkerUrl() as string, { type: 'module', name: 'enclave-engine' });
}

/** A new engine worker as the pool sees it. */
export function startEngineWorkerPort(): EngineWorkerPort {
  const worker = startEngineWorker();
  return {
    postMessage: (request, transfer) => worker.postMessage(request, transfer),
    listen(onReply, onError) {
      worker.onmessage = (event: MessageEvent<EngineReply>) => onReply(event.data);
      worker.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        onError(event.message);
      };
    },
    terminate: () => worker.terminate(),
  };
}
