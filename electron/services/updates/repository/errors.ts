/**
 * Why the update officers' tools refused: `usage` for a bad argument or input file (CLI exit 2),
 * `refused` for a repository or token that cannot do what was asked (exit 1). Messages name the role,
 * file or key concerned and never carry a PIN.
 */
export class RepositoryError extends Error {
  constructor(
    readonly code: 'usage' | 'refused',
    message: string,
  ) {
    super(message);
    this.name = 'RepositoryError';
  }
}
