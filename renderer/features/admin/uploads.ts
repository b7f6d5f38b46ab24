import type { ChosenFile, FilePurpose } from '../../../common/ipc/files';
import type { IpcResult } from '../../../common/ipc/result';
import { getBridge } from '../../ipc/bridge';
import { uploadFile } from '../../ipc/browser-transport';

/** Under Electron the main process's dialog chooses files; under the browser host the page's file input does. */
export const hostChoosesFiles = () => getBridge().files.choose !== undefined;

/** Electron: the dialog; the chosen files come back as handles (none when the admin cancels). */
export async function chooseInDialog(purpose: FilePurpose): Promise<IpcResult<ChosenFile[]>> {
  const choose = getBridge().files.choose;
  if (!choose) return { ok: false, error: { code: 'UNAVAILABLE', message: 'There is no file dialog here.' } };
  return choose({ purpose, multiple: true });
}

/**
 * Browser host: the files picked in the page's input, streamed to the host one by one (never read
 * into the page as a whole); the first that fails stops the import, and nothing is imported.
 */
export async function handOver(files: readonly File[], purpose?: FilePurpose): Promise<IpcResult<ChosenFile[]>> {
  const chosen: ChosenFile[] = [];
  for (const file of files) {
    const result = await uploadFile(file, purpose);
    if (!result.ok)
      return { ok: false, error: { ...result.error, message: `${result.error.message} Nothing was imported.` } };
    chosen.push(result.value);
  }
  return { ok: true, value: chosen };
}

/** Dates as the service sends them (ISO, UTC), shown without the viewer's time zone guessing. */
export const day = (iso: string) => iso.slice(0, 10);
export const minute = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
