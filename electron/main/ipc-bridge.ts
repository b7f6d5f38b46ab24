import { basename } from 'node:path';
import { BrowserWindow, dialog, ipcMain, webContents, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import { CANCEL_CHANNEL, CHOOSE_FILES_CHANNEL, PRINT_REPORT_CHANNEL, SAVE_FILE_CHANNEL } from '../../common/ipc/bridge';
import { listChannels } from '../../common/ipc/contract';
import { CallIdSchema, EVENT_CHANNEL } from '../../common/ipc/events';
import { FileChoiceSchema, type ChosenFile, type SavedFile } from '../../common/ipc/files';
import { fail, ok, type IpcResult } from '../../common/ipc/result';
import { relayEvents, type Dispatch, type EventSource } from '../worker/dispatch';
import { FILE_PURPOSE_DIALOG, pickedFile } from '../worker/host-files';
import type { ServiceHost } from '../worker/service-host';
import type { ElectronReportPrinter } from './report-print';
import { mayPrintReports } from './report-print-plan';
import { checkSaveRequest, saveFilters, writeChosenFile } from './save-file';
import { isTrustedSenderUrl } from './shell-policy';

function fromTrustedFrame(event: IpcMainInvokeEvent | IpcMainEvent, trustedContentsIds: ReadonlySet<number>): boolean {
  const frame = event.senderFrame;
  return (
    frame !== null && frame.parent === null && trustedContentsIds.has(event.sender.id) && isTrustedSenderUrl(frame.url)
  );
}

/** The main process's file dialog: the paths stay here and in the worker; the renderer gets handles. */
async function chooseFiles(
  event: IpcMainInvokeEvent,
  payload: unknown,
  services: Pick<ServiceHost, 'registerFile'>,
): Promise<IpcResult<ChosenFile[]>> {
  const choice = FileChoiceSchema.safeParse(payload);
  if (!choice.success) return fail('INVALID_ARGUMENT', 'The file choice is invalid.');
  const { title, label, extensions } = FILE_PURPOSE_DIALOG[choice.data.purpose];
  const window = BrowserWindow.fromWebContents(event.sender);
  if (!window) return ok([]);
  const picked = await dialog.showOpenDialog(window, {
    title,
    properties: choice.data.multiple ? ['openFile', 'multiSelections'] : ['openFile'],
    filters: [
      { name: label, extensions },
      { name: 'All files', extensions: ['*'] },
    ],
  });
  if (picked.canceled) return ok([]);
  try {
    const files = picked.filePaths.map(pickedFile);
    return ok(await Promise.all(files.map((file) => services.registerFile(file))));
  } catch (error) {
    return fail('INVALID_ARGUMENT', (error as Error).message);
  }
}

/** The main process's save dialog: the user picks where; the file is written whole or not at all. */
async function saveFile(event: IpcMainInvokeEvent, payload: unknown): Promise<IpcResult<SavedFile>> {
  const checked = checkSaveRequest(payload);
  if (!checked.ok) return checked;
  const file = checked.value;
  const window = BrowserWindow.fromWebContents(event.sender);
  if (!window) return ok({ saved: false });
  const chosen = await dialog.showSaveDialog(window, {
    title: 'Save a copy',
    defaultPath: file.name,
    filters: saveFilters(file),
    properties: ['showOverwriteConfirmation', 'createDirectory'],
  });
  if (chosen.canceled || !chosen.filePath) return ok({ saved: false });
  try {
    writeChosenFile(chosen.filePath, file.content);
    return ok({ saved: true, name: basename(chosen.filePath) });
  } catch (error) {
    return fail(
      'UNAVAILABLE',
      `The file could not be written: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
    );
  }
}

/**
 * One ipcMain handler per contract channel (each checks the sending frame, then dispatches), the
 * cancel, file-dialog (open and save) and report-print channels, and the events relayed to the
 * trusted windows.
 */
export function registerIpc(
  dispatch: Dispatch,
  services: EventSource & Pick<ServiceHost, 'registerFile'>,
  trustedContentsIds: ReadonlySet<number>,
  printer: ElectronReportPrinter,
): void {
  const running = new Map<string, AbortController>();
  for (const channel of listChannels()) {
    ipcMain.handle(channel.name, async (event, payload: unknown, callId: unknown) => {
      if (!fromTrustedFrame(event, trustedContentsIds))
        return fail('FORBIDDEN', 'This frame may not call Enclave services.');
      const id = CallIdSchema.safeParse(callId);
      if (!id.success) return dispatch(channel.name, payload);
      const key = `${event.sender.id}:${id.data}`;
      const controller = new AbortController();
      running.set(key, controller);
      try {
        return await dispatch(channel.name, payload, { signal: controller.signal, callId: id.data });
      } finally {
        running.delete(key);
      }
    });
  }
  ipcMain.on(CANCEL_CHANNEL, (event, callId: unknown) => {
    const id = CallIdSchema.safeParse(callId);
    if (fromTrustedFrame(event, trustedContentsIds) && id.success)
      running.get(`${event.sender.id}:${id.data}`)?.abort();
  });
  ipcMain.handle(CHOOSE_FILES_CHANNEL, (event, payload: unknown) =>
    fromTrustedFrame(event, trustedContentsIds)
      ? chooseFiles(event, payload, services)
      : fail('FORBIDDEN', 'This frame may not choose files.'),
  );
  ipcMain.handle(SAVE_FILE_CHANNEL, (event, payload: unknown) =>
    fromTrustedFrame(event, trustedContentsIds)
      ? saveFile(event, payload)
      : fail('FORBIDDEN', 'This frame may not save files.'),
  );
  // A signed-in session's app page only; the printer checks the request (schema, size) before loading anything.
  ipcMain.handle(PRINT_REPORT_CHANNEL, async (event, payload: unknown) => {
    if (!fromTrustedFrame(event, trustedContentsIds)) return fail('FORBIDDEN', 'This frame may not print reports.');
    const allowed = await mayPrintReports(dispatch);
    return allowed.ok ? printer.print(payload) : allowed;
  });
  relayEvents(services, (event) => {
    for (const id of trustedContentsIds) webContents.fromId(id)?.send(EVENT_CHANNEL, event);
  });
}
