import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  CANCEL_CHANNEL,
  CHOOSE_FILES_CHANNEL,
  PRINT_REPORT_CHANNEL,
  SAVE_FILE_CHANNEL,
  makeBridge,
} from '../../common/ipc/bridge';
import { EVENT_CHANNEL } from '../../common/ipc/events';

// The renderer sees `window.enclave`: one named function per contract channel, cancel, events and
// the file dialogs (open and save) and report printing. ipcRenderer itself never crosses the bridge.
contextBridge.exposeInMainWorld(
  'enclave',
  makeBridge({
    call: (channel, request, callId) => ipcRenderer.invoke(channel, request, callId),
    cancel: (callId) => ipcRenderer.send(CANCEL_CHANNEL, callId),
    subscribe: (listener) => {
      const relay = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      ipcRenderer.on(EVENT_CHANNEL, relay);
      return () => void ipcRenderer.removeListener(EVENT_CHANNEL, relay);
    },
    chooseFiles: (choice) => ipcRenderer.invoke(CHOOSE_FILES_CHANNEL, choice),
    saveFile: (file) => ipcRenderer.invoke(SAVE_FILE_CHANNEL, file),
    printReport: (request) => ipcRenderer.invoke(PRINT_REPORT_CHANNEL, request),
  }),
);
