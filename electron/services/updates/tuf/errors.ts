/** What went wrong, for scripts and tests; the message is for the administrator and names role, versions and times. */
export type TufErrorCode =
  | 'expired'
  | 'rollback'
  | 'threshold'
  | 'hash-mismatch'
  | 'length'
  | 'too-large'
  | 'bad-metadata'
  | 'clock-before-floor'
  | 'delegation'
  | 'not-found'
  | 'version'
  | 'source';

/** The one error the TUF client throws for anything it refuses. */
export class TufError extends Error {
  constructor(
    readonly code: TufErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TufError';
  }
}

/** A source has no such file: ends the root rotation loop; anywhere else it is a failure. */
export class TufNotFound extends TufError {
  constructor(fileName: string) {
    super('not-found', `${fileName} is not in the repository`);
    this.name = 'TufNotFound';
  }
}
