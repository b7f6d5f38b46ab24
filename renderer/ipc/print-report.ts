import type { IpcResult } from '../../common/ipc/result';
import type { ReportPrintRequest } from '../../common/report/report-document';
import { getBridge } from './bridge';
import { printOnHost } from './browser-transport';

/**
 * Prints a report (PDF) or one of its figures (PNG) with the print page, as bytes to save: under
 * Electron a hidden window of the main process, under the browser host its headless Chromium. Both
 * check the request before printing; a refusal is a plain message.
 */
export function printReport(request: ReportPrintRequest): Promise<IpcResult<Uint8Array>> {
  const print = getBridge().files.print;
  return print ? print(request) : printOnHost(request);
}
