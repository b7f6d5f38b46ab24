import type { SaveFile, SavedFile } from '../../common/ipc/files';
import type { IpcResult } from '../../common/ipc/result';
import { getBridge } from './bridge';

/**
 * Saves a file the app made (an export): under Electron the main process's save dialog (its
 * shell refuses browser downloads), under the browser host the browser's own download. The caller
 * has already had the service's word (the export recorded, its marking checked).
 */
export async function saveFile(
  file: Omit<SaveFile, 'content'> & { content: SaveFile['content'] | Blob },
): Promise<IpcResult<SavedFile>> {
  const save = getBridge().files.save;
  const { content } = file;
  // Electron's IPC carries text and bytes, not a Blob: a large CSV built as a Blob is read out once here.
  if (save)
    return save({ ...file, content: content instanceof Blob ? new Uint8Array(await content.arrayBuffer()) : content });
  const blob = content instanceof Blob ? content : new Blob([content as BlobPart], { type: file.type });
  const url = URL.createObjectURL(blob);
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = file.name;
    link.rel = 'noopener';
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // The download has taken the blob by the end of this task.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
  return { ok: true, value: { saved: true, name: file.name } };
}
