import type { FileHandle } from '../../common/ipc/files';

/** A file a host chose or received for the renderer, as a service sees it: a path it may read. */
export interface FileRef {
  path: string;
  /** The name the user knows it by (not a path). */
  name: string;
  size: number;
}

/**
 * What one call gives its service besides the request: the signal that says the caller cancelled
 * (long work checks it between steps), progress reports for the caller's screen, and the files its
 * request names by handle (a handle is good for the one call that uses it).
 */
export interface ServiceCall {
  signal: AbortSignal;
  progress(done: number, total: number | null, message: string): void;
  /** The file behind a handle the request named; INVALID_ARGUMENT when the handle is unknown or spent. */
  file(handle: FileHandle): FileRef;
}
