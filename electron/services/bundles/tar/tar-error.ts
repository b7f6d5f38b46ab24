/** Why a tar was refused (docs/bagit.md, "Safe tar"); extraction leaves nothing behind for any of them. */
export type TarErrorCode =
  | 'TAR_NO_SOURCE'
  | 'TAR_PARTS'
  | 'TAR_DEST_EXISTS'
  | 'TAR_BAD_HEADER'
  | 'TAR_TRUNCATED'
  | 'TAR_TRAILING_GARBAGE'
  | 'TAR_LINK_ENTRY'
  | 'TAR_DEVICE_ENTRY'
  | 'TAR_UNSUPPORTED_ENTRY'
  | 'TAR_BAD_PATH'
  | 'TAR_PATH_TOO_LONG'
  | 'TAR_DUPLICATE'
  | 'TAR_COLLISION'
  | 'TAR_TOO_MANY_ENTRIES'
  | 'TAR_ENTRY_TOO_LARGE'
  | 'TAR_TOTAL_TOO_LARGE'
  | 'TAR_ARCHIVE_TOO_LARGE'
  | 'TAR_SOURCE_CHANGED'
  | 'TAR_IO';

export class TarError extends Error {
  constructor(
    readonly code: TarErrorCode,
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = 'TarError';
  }
}
