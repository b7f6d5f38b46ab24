// Injected at build time (esbuild, Vite and Vitest all define it from package.json).
declare const __ENCLAVE_VERSION__: string;

export const APP_NAME = 'Enclave';
export const APP_VERSION: string = __ENCLAVE_VERSION__;
