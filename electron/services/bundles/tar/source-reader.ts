import { constants, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { TarError } from './tar-error';

/**
 * The files of a tar (one, or its parts in order) read as one stream, never more than the caller's
 * buffer at a time, and never more than maxBytes in all: a source that keeps coming (a pipe, a
 * device, a file still growing) is stopped there.
 */
export class SourceReader {
  private index = 0;
  private handle: FileHandle | null = null;
  consumed = 0;

  constructor(
    private readonly paths: readonly string[],
    private readonly maxBytes: number,
  ) {}

  /** Fills buffer[0, length) as far as the sources go; fewer bytes only at the end of the last source. */
  async read(buffer: Buffer, length: number): Promise<number> {
    let filled = 0;
    while (filled < length) {
      if (!this.handle) {
        const path = this.paths[this.index];
        if (path === undefined) break;
        try {
          this.handle = await fs.open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
        } catch (error) {
          throw new TarError('TAR_NO_SOURCE', `The tar file cannot be opened (${(error as Error).message}).`, path);
        }
      }
      const { bytesRead } = await this.handle.read(buffer, filled, length - filled, null);
      if (bytesRead === 0) {
        await this.close();
        this.index++;
        continue;
      }
      filled += bytesRead;
      this.consumed += bytesRead;
      if (this.consumed > this.maxBytes)
        throw new TarError('TAR_ARCHIVE_TOO_LARGE', `The tar is larger than the limit of ${this.maxBytes} bytes.`);
    }
    return filled;
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close();
  }
}
