import type { IncomingMessage } from 'node:http';
import { fail, type IpcResult } from '../../common/ipc/result';
import type { ReportPrintRequest } from '../../common/report/report-document';
import { checkPrintRequest, MAX_PRINT_REQUEST_BYTES } from '../../common/report/report-document-schema';
import { mayPrintReports, printQueue } from '../../electron/main/report-print-plan';
import type { Dispatch } from '../../electron/worker/dispatch';
import type { ReportPrinter } from '../report-print/chromium-printer';
import { isJsonContentType } from './content-type';

export const PRINT_PATH = '/print';

const PRINTED_TYPE = { pdf: 'application/pdf', png: 'image/png' } as const;

/** How the host answers: a refusal as JSON (never a stack), the printed bytes as themselves. */
export interface PrintReplies {
  refuse(status: number, result: IpcResult<never>, close?: boolean): void;
  bytes(type: string, body: Uint8Array): void;
}

/**
 * The browser host's stand-in for Electron's print channel: POST /print with a JSON
 * ReportPrintRequest (the caller has checked cookie, Host, Origin and Sec-Fetch-Site), answered
 * with the PDF or PNG. The printer's Chromium is started on the first print and kept until close().
 */
export function printEndpoint(options: { dispatch: Dispatch; openPrinter: () => Promise<ReportPrinter> }) {
  let printer: Promise<ReportPrinter> | null = null;
  const queue = printQueue();

  async function printOne(request: ReportPrintRequest): Promise<IpcResult<Uint8Array>> {
    printer ??= options.openPrinter();
    // A printer that failed to start is tried again by the next print.
    const opened = await printer.catch((error: unknown) => {
      printer = null;
      throw error;
    });
    // The printer gives up a print after its own 30 s (hosts/report-print).
    const bytes =
      request.kind === 'pdf' ? await opened.pdf(request.document) : await opened.png(request.document, request.figure);
    return { ok: true, value: bytes };
  }

  return {
    async handle(req: IncomingMessage, body: () => Promise<Buffer | 'too-large'>, reply: PrintReplies) {
      if (!isJsonContentType(req.headers['content-type']))
        return reply.refuse(415, fail('INVALID_ARGUMENT', 'A report to print is sent as application/json.'));
      const tooLarge = fail(
        'INVALID_ARGUMENT',
        `The report to print is larger than ${MAX_PRINT_REQUEST_BYTES / 1024 ** 2} MiB.`,
      ) as IpcResult<never>;
      // Answer, then drop the connection rather than read the rest of an oversized body.
      if (Number(req.headers['content-length'] ?? 0) > MAX_PRINT_REQUEST_BYTES)
        return reply.refuse(413, tooLarge, true);
      const allowed = await mayPrintReports(options.dispatch);
      if (!allowed.ok) return reply.refuse(allowed.error.code === 'UNAUTHENTICATED' ? 401 : 403, allowed, true);
      const raw = await body();
      if (raw === 'too-large') return reply.refuse(413, tooLarge, true);
      let payload: unknown;
      try {
        payload = JSON.parse(raw.toString('utf8'));
      } catch {
        return reply.refuse(400, fail('INVALID_ARGUMENT', 'The report to print is not JSON.'));
      }
      const checked = checkPrintRequest(payload);
      if (!checked.ok) return reply.refuse(400, fail('INVALID_ARGUMENT', checked.message));
      const printed = await queue(() => printOne(checked.request));
      if (!printed.ok) return reply.refuse(503, printed);
      reply.bytes(PRINTED_TYPE[checked.request.kind], printed.value);
    },
    async close() {
      const open = printer;
      printer = null;
      if (open) await open.then((p) => p.close()).catch(() => undefined);
    },
  };
}
