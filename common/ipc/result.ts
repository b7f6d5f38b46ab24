import { z } from 'zod';

/** Every error a bridge call can return. The renderer shows `message`; it never sees a stack. */
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'UNKNOWN_CHANNEL',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CONSENT_REQUIRED',
  'FAILED_PRECONDITION',
  'ABOVE_SYSTEM_HIGH',
  'MISCONFIGURED',
  'UNAVAILABLE',
  'CANCELLED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface IpcIssue {
  path: string;
  message: string;
}

export interface IpcError {
  code: ErrorCode;
  message: string;
  issues?: IpcIssue[];
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export const IpcErrorSchema = z
  .object({
    code: z.enum(ERROR_CODES),
    message: z.string().max(4096),
    issues: z
      .array(z.object({ path: z.string().max(512), message: z.string().max(1024) }).strict())
      .max(100)
      .optional(),
  })
  .strict();

/** Validates an envelope that crossed a process or network boundary. */
export const IpcEnvelopeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }).strict(),
  z.object({ ok: z.literal(false), error: IpcErrorSchema }).strict(),
]);

export function ok<T>(value: T): IpcResult<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string, issues?: IpcIssue[]): IpcResult<never> {
  return issues && issues.length > 0
    ? { ok: false, error: { code, message, issues } }
    : { ok: false, error: { code, message } };
}

/** Turns zod issues into short, path-named messages (no values echoed back). */
export function issuesFromZod(error: z.ZodError): IpcIssue[] {
  return error.issues.slice(0, 100).map((issue) => ({
    path: issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)',
    message: issue.message.slice(0, 1024),
  }));
}
