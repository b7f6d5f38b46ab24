import { makeBridge, type EnclaveBridge } from '../../common/ipc/bridge';
import { createBrowserTransport } from './browser-transport';

declare global {
  interface Window {
    /** Set by the Electron preload; absent under the browser host. */
    enclave?: EnclaveBridge;
  }
}

let bridge: EnclaveBridge | undefined;

/** The same typed bridge under Electron (preload) and under the browser host (fetch). */
export function getBridge(): EnclaveBridge {
  bridge ??= window.enclave ?? makeBridge(createBrowserTransport());
  return bridge;
}
