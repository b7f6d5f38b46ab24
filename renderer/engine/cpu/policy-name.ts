/**
 * The Trusted Types policy that creates the engine worker's script URL. The CSP's
 * `trusted-types` directive (electron/main/web-content.ts) allows this name and no other.
 */
export const ENGINE_WORKER_POLICY = 'enclave-engine-worker';
