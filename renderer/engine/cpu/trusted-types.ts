/**
 * The Trusted Types policy name under which the engine worker's script URL is created. The CSP's
 * `trusted-types` directive (electron/main/web-content.ts) allows this name and no other.
 */
export const ENGINE_WORKER_POLICY = 'enclave-engine-worker';
