/**
 * Prints reports in headless Chromium (playwright-core): the browser host and `enclave simulate
 * --report` use it; the Electron app prints the same print page with printToPDF. One browser serves
 * many prints; each print gets a fresh browser context, closed when it is done.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { withReportMetadata } from '../../common/report/pdf-metadata';
import { playwrightPdfOptions, REPORT_CONTENT_WIDTH_PX } from '../../common/report/print-options';
import type { ReportDocument, ReportPrintRequest } from '../../common/report/report-document';
import { findChromium, OFFLINE_SWITCHES } from '../chromium';
import { servePrintPage, type PrintServer } from './print-server';
import { checkPrintable, ReportPrintError } from './printable-document';

export { ReportPrintError } from './printable-document';

export interface ReportPrinter {
  /** The report as a PDF, with its metadata (pdf-metadata.ts). */
  pdf(doc: ReportDocument): Promise<Uint8Array>;
  /** One figure with the banner above and below it, as a PNG at twice the page's resolution. */
  png(doc: ReportDocument, figureId: string): Promise<Uint8Array>;
  close(): Promise<void>;
}

export interface ReportPrinterOptions {
  /** The built renderer (dist/renderer), holding print.html. */
  rendererDir: string;
  /** Chromium to use; findChromium() when absent. */
  chromiumPath?: string;
  appVersion: string;
  /** How long one print may take; 30 s unless a test says otherwise. */
  timeoutMs?: number;
}

export const PRINT_TIMEOUT_MS = 30_000;

type PrintKind = ReportPrintRequest['kind'];

/** A print page loaded and ready: reused by the next print of the same kind, so only the first pays for loading it. */
interface ReadyPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors in the page since the current print began. */
  problems: string[];
}

export async function openReportPrinter(options: ReportPrinterOptions): Promise<ReportPrinter> {
  const timeoutMs = options.timeoutMs ?? PRINT_TIMEOUT_MS;
  const server: PrintServer = await servePrintPage(options.rendererDir);
  let launching: Promise<Browser> | null = null;
  const ready = new Map<PrintKind, Promise<ReadyPage>>();
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  async function launch(): Promise<Browser> {
    const executablePath = options.chromiumPath ?? findChromium();
    if (!executablePath)
      throw new ReportPrintError('No Chromium to print with: install chromium, or set ENCLAVE_CHROMIUM to its path.');
    // Loaded here, not at the top: a CLI run that prints nothing does not pay for it.
    const { chromium } = await import('playwright-core');
    const args = [...OFFLINE_SWITCHES];
    if (process.getuid?.() === 0) args.push('--no-sandbox');
    const browser = await chromium.launch({ executablePath, args, timeout: timeoutMs });
    // A crashed browser is launched again by the next print.
    browser.on('disconnected', () => {
      launching = null;
      ready.clear();
    });
    return browser;
  }

  function browser(): Promise<Browser> {
    launching ??= launch().catch((error: unknown) => {
      launching = null;
      throw error;
    });
    return launching;
  }

  async function loadPage(kind: PrintKind): Promise<ReadyPage> {
    const context = await (
      await browser()
    ).newContext(
      kind === 'png'
        ? // Twice the resolution; a viewport wide enough for the figure at a page's width.
          { deviceScaleFactor: 2, viewport: { width: Math.ceil(REPORT_CONTENT_WIDTH_PX) + 32, height: 800 } }
        : {},
    );
    try {
      const page = await context.newPage();
      const loaded: ReadyPage = { context, page, problems: [] };
      page.on('pageerror', (error) => loaded.problems.push(error.message));
      await page.goto(server.url, { timeout: timeoutMs });
      await page.waitForFunction(() => 'enclavePrint' in globalThis, undefined, { timeout: timeoutMs });
      return loaded;
    } catch (error) {
      await context.close().catch(() => undefined);
      throw error;
    }
  }

  function readyPage(kind: PrintKind): Promise<ReadyPage> {
    let page = ready.get(kind);
    if (!page) {
      page = loadPage(kind);
      ready.set(kind, page);
    }
    return page;
  }

  /** Forgets a page that failed or ran out of time: the next print loads a fresh one. */
  function discard(kind: PrintKind): void {
    const page = ready.get(kind);
    ready.delete(kind);
    void page?.then((p) => p.context.close()).catch(() => undefined);
  }

  /** Renders the request in the ready page and runs `take` on it; one print at a time, each within the time limit. */
  function printWith<T>(request: ReportPrintRequest, take: (page: Page) => Promise<T>): Promise<T> {
    if (closed) return Promise.reject(new ReportPrintError('The report printer is closed.'));
    let checked: ReportPrintRequest;
    try {
      checked = checkPrintable(request);
    } catch (error) {
      return Promise.reject(error);
    }
    const task = async (): Promise<T> => {
      let timer: NodeJS.Timeout | undefined;
      const work = (async () => {
        const { page, problems } = await readyPage(checked.kind);
        problems.length = 0;
        try {
          await page.evaluate(
            (req) =>
              (globalThis as unknown as { enclavePrint: { render(r: unknown): Promise<unknown> } }).enclavePrint.render(
                req,
              ),
            checked as unknown,
          );
        } catch (error) {
          const detail = (error as Error).message.replace(/^page\.evaluate: (Error: )?/, '').split('\n')[0];
          throw new ReportPrintError(`The print page could not lay out the report: ${problems[0] ?? detail}`);
        }
        return take(page);
      })();
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(new ReportPrintError(`Printing the report took longer than ${timeoutMs / 1000} s and was stopped.`)),
          timeoutMs,
        );
      });
      try {
        return await Promise.race([work, timeout]);
      } catch (error) {
        discard(checked.kind);
        throw error;
      } finally {
        clearTimeout(timer);
        work.catch(() => undefined);
      }
    };
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  }

  return {
    async pdf(doc) {
      const bytes = await printWith({ kind: 'pdf', document: doc }, (page) => page.pdf(playwrightPdfOptions()));
      return withReportMetadata(new Uint8Array(bytes), doc, options.appVersion);
    },
    async png(doc, figureId) {
      const figure = doc.blocks?.find?.((b) => b.id === figureId);
      if (!figure || figure.type !== 'figure') throw new ReportPrintError(`The report has no figure "${figureId}".`);
      const bytes = await printWith({ kind: 'png', document: doc, figure: figureId }, async (page) => {
        const box = await page.locator('#print-figure').boundingBox({ timeout: timeoutMs });
        if (!box) throw new ReportPrintError('The print page laid out no figure.');
        // Whole CSS pixels: a fractional edge would add a row of white below the bottom banner.
        const clip = {
          x: Math.ceil(box.x),
          y: Math.ceil(box.y),
          width: Math.floor(box.width),
          height: Math.floor(box.height),
        };
        return page.screenshot({ type: 'png', animations: 'disabled', clip, timeout: timeoutMs });
      });
      return new Uint8Array(bytes);
    },
    async close() {
      if (closed) return;
      closed = true;
      await queue;
      const pending = launching;
      launching = null;
      ready.clear();
      if (pending) await pending.then((b) => b.close()).catch(() => undefined);
      await server.close();
    },
  };
}
