import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SAVED_FILE_TYPES, SaveFileSchema, type SaveFile } from '../../common/ipc/files';
import { fail, ok, type IpcResult } from '../../common/ipc/result';

/** The save dialog's filter for a file's type: its extension, and any file. */
export function saveFilters(file: SaveFile): { name: string; extensions: string[] }[] {
  const extension = SAVED_FILE_TYPES[file.type];
  return [
    { name: `${extension.toUpperCase()} file`, extensions: [extension] },
    { name: 'All files', extensions: ['*'] },
  ];
}

/** The request of a save, checked: a plain name, a known type, bounded content. */
export function checkSaveRequest(payload: unknown): IpcResult<SaveFile> {
  const file = SaveFileSchema.safeParse(payload);
  if (!file.success)
    return fail('INVALID_ARGUMENT', `The file to save is invalid: ${file.error.issues[0]?.message ?? 'unreadable'}.`);
  return ok(file.data);
}

/**
 * Writes `content` to the path the user chose, never half: into a new file beside it (owner-only,
 * created exclusively), flushed to disk, then renamed over the target in one step. A failure
 * leaves the target as it was and removes the partial file.
 */
export function writeChosenFile(path: string, content: string | Uint8Array): void {
  const partial = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`);
  const fd = openSync(partial, 'wx', 0o600);
  try {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    let written = 0;
    while (written < bytes.byteLength) written += writeSync(fd, bytes, written, bytes.byteLength - written);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(partial, path);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(partial, { force: true });
    throw error;
  }
}
