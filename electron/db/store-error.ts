/** Every way opening, unlocking or restoring a store can fail, each with its own clear message. */
export type StoreErrorCode =
  | 'NO_DATABASE'
  | 'ALREADY_EXISTS'
  | 'WRONG_SECRET'
  | 'KEYSLOTS_INVALID'
  | 'KDF_TOO_COSTLY'
  | 'TRUNCATED'
  | 'CORRUPT'
  | 'NEWER_SCHEMA'
  | 'NOT_ENCLAVE'
  | 'LAST_SLOT'
  | 'NO_SUCH_SLOT'
  | 'BACKUP_FAILED'
  | 'AUDIT_TAMPERED';

export class StoreError extends Error {
  override name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
  }
}
