import type { IpcError } from '../../../common/ipc/result';
import { hostChoosesFiles } from '../admin/uploads';

/**
 * Saves exported text as a file through the browser's download (a same-origin blob: URL; the CSP's
 * default-src does not govern a download link). The Electron shell refuses every download
 * (electron/main/hardening.ts) and has no save dialog for models yet, so there it says so.
 */
export function saveAsDownload(fileName: string, text: string): IpcError | null {
  if (hostChoosesFiles())
    return {
      code: 'UNAVAILABLE',
      message:
        'This desktop window cannot save files yet: it refuses downloads, and a save dialog for models is not built. Export the model from the browser host instead.',
    };
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has the file once the click is handled; the URL goes a moment later.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
  return null;
}
