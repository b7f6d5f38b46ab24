import type { ErrorCode, IpcIssue } from '../../common/ipc/result';

/** An expected, user-facing failure. Anything else thrown by a service is reported as INTERNAL. */
export class ServiceError extends Error {
  override name = 'ServiceError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: IpcIssue[],
  ) {
    super(message);
  }
}
