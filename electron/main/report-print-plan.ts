/**
 * The decisions of Electron's report printing, kept free of the electron import so unit tests cover
 * them without the Electron binary (electron/main/report-print.ts does the printing).
 */
import { fail, ok, type IpcResult } from '../../common/ipc/result';
import { checkPrintRequest, MAX_PRINT_REQUEST_BYTES } from '../../common/report/report-document-schema';
import type { ReportPrintRequest } from '../../common/report/report-document';
import type { Dispatch } from '../worker/dispatch';
import { APP_ORIGIN } from './shell-policy';

/** The print page: the renderer's second entry (no preload, no bridge), served from app:// like the app. */
export const PRINT_PAGE_URL = `${APP_ORIGIN}/print.html`;
/** The hidden print window's own in-memory session: nothing it loads shares the app's storage. */
export const PRINT_PARTITION = 'enclave-report-print';
/** A print that takes longer than this is given up and its window closed. */
export const PRINT_TIMEOUT_MS = 30_000;
/** A PNG figure is drawn at twice its CSS size, so it stays sharp on a slide or in print. */
export const PNG_ZOOM = 2;

export interface CheckedPrint {
  request: ReportPrintRequest;
  /** The script the print page runs: render this request (its JSON is a JavaScript literal, never code). */
  renderScript: string;
}

/** The request from the page, checked against the schema and its size, and the script that renders it. */
export function planPrint(payload: unknown): IpcResult<CheckedPrint> {
  const checked = checkPrintRequest(payload);
  if (!checked.ok) return fail('INVALID_ARGUMENT', checked.message);
  const json = JSON.stringify(checked.request);
  if (Buffer.byteLength(json, 'utf8') > MAX_PRINT_REQUEST_BYTES)
    return fail('INVALID_ARGUMENT', `The report to print is larger than ${MAX_PRINT_REQUEST_BYTES / 1024 ** 2} MiB.`);
  return ok({ request: checked.request, renderScript: `window.enclavePrint.render(${json})` });
}

/** Reads the figure's box in the page (CSS pixels), or null when the page drew none. */
export const FIGURE_BOX_SCRIPT = `(() => {
  const box = document.querySelector('#print-figure')?.getBoundingClientRect();
  return box ? { x: box.left + window.scrollX, y: box.top + window.scrollY, width: box.width, height: box.height } : null;
})()`;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The figure's box in the window's pixels at PNG_ZOOM: whole CSS pixels inside it (as the Chromium
 * printer clips: a fractional edge would add a row of white below the bottom banner), then zoomed.
 * Null when there is nothing to capture.
 */
export function captureRect(box: unknown): Box | null {
  const b = box as Partial<Box> | null;
  if (!b || ![b.x, b.y, b.width, b.height].every((n) => typeof n === 'number' && Number.isFinite(n))) return null;
  const x = Math.ceil(b.x!);
  const y = Math.ceil(b.y!);
  const width = Math.floor(b.width!);
  const height = Math.floor(b.height!);
  if (width <= 0 || height <= 0 || width > 10_000 || height > 10_000) return null;
  return { x: x * PNG_ZOOM, y: y * PNG_ZOOM, width: width * PNG_ZOOM, height: height * PNG_ZOOM };
}

/** What the person is told when printing fails: one plain line, never a stack. */
export function printFailure(error: unknown): IpcResult<never> {
  const raw = error instanceof Error ? error.message : String(error);
  const line = (raw.split('\n')[0] ?? '').replace(/\s+/g, ' ').trim().slice(0, 300);
  return fail('UNAVAILABLE', `The report could not be printed${line ? `: ${line}` : ''}.`);
}

/** Runs `work`, or gives up after `ms` (then `onTimeout` tidies up what it left); a failure is a plain refusal. */
export async function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => void): Promise<IpcResult<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<IpcResult<T>>((resolve) => {
    timer = setTimeout(() => {
      onTimeout();
      resolve(fail('UNAVAILABLE', `The report took longer than ${ms / 1000} s to print; it was stopped.`));
    }, ms);
  });
  try {
    return await Promise.race([work.then((value) => ok(value), printFailure), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Printing is for a signed-in session (and so after consent): the services' identity.status says
 * so. A report holds nothing the page does not have already; this keeps a page that is not signed
 * in from starting print windows at all.
 */
export async function mayPrintReports(dispatch: Dispatch): Promise<IpcResult<null>> {
  const status = await dispatch('enclave:identity.status', {});
  if (!status.ok) return status;
  const { unlocked, user } = status.value as { unlocked: boolean; user: unknown };
  return unlocked && user ? ok(null) : fail('UNAUTHENTICATED', 'Sign in before printing a report.');
}

/** The most prints waiting their turn; one more is refused rather than queued. */
export const MAX_PRINTS_WAITING = 4;

/**
 * One print at a time (each lays out a whole report in a renderer of its own); a print's timeout
 * counts from its turn. Never rejects: a failure is a plain refusal.
 */
export function printQueue(): <T>(work: () => Promise<IpcResult<T>>) => Promise<IpcResult<T>> {
  let turn: Promise<unknown> = Promise.resolve();
  let waiting = 0;
  return async (work) => {
    if (waiting >= MAX_PRINTS_WAITING)
      return fail('UNAVAILABLE', 'Too many reports are printing; try again when they are done.');
    waiting++;
    const mine = turn.then(work);
    turn = mine.catch(() => undefined);
    try {
      return await mine;
    } catch (error) {
      return printFailure(error);
    } finally {
      waiting--;
    }
  };
}
