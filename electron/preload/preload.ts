import { contextBridge, ipcRenderer } from 'electron';
import { makeBridge } from '../../common/ipc/bridge';

// The renderer sees `window.enclave`: one named function per contract channel. ipcRenderer itself
// never crosses the bridge.
contextBridge.exposeInMainWorld(
  'enclave',
  makeBridge((channel, request) => ipcRenderer.invoke(channel, request)),
);
