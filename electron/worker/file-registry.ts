import type { FileHandle } from '../../common/ipc/files';
import { ServiceError } from '../services/service-error';
import type { FileRef } from '../services/service-call';
import type { HandedFile } from './worker-protocol';

/**
 * The worker's side of file handles: what the host handed over, and which call spent which handle.
 * A handle serves the one call that names it; afterwards the host is told, and deletes an upload.
 */
export class FileRegistry {
  private readonly files = new Map<string, FileRef>();

  constructor(private readonly onReleased: (handle: string) => void) {}

  add(file: HandedFile): void {
    this.files.set(file.handle, { path: file.path, name: file.name, size: file.size });
  }

  /** Files for one call: each handle it opens is released when the call ends. */
  forCall(): { file(handle: FileHandle): FileRef; release(): void } {
    const used = new Set<string>();
    return {
      file: (handle) => {
        const ref = this.files.get(handle);
        if (!ref) throw new ServiceError('INVALID_ARGUMENT', 'That file is no longer available: choose it again.');
        used.add(handle);
        return ref;
      },
      release: () => {
        for (const handle of used) {
          this.files.delete(handle);
          this.onReleased(handle);
        }
      },
    };
  }
}
