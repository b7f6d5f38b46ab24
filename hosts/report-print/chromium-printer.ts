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

export async function openReportPrinter(options: ReportPrinterOptions): Promise<ReportPrinter> {
  const timeoutMs = options.timeoutMs ?? PRINT_TIMEOUT_MS;
  const server: PrintServer = await servePrintPage(options.rendererDir);
  let launching: Promise<Browser> | null = null;
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

  /** Opens the print page in a fresh context, renders the request, runs `take`, and always closes the context. */
  async function printWith<T>(
    request: ReportPrintRequest,
    context: (b: Browser) => Promise<BrowserContext>,
    take: (page: Page) => Promise<T>,
  ): Promise<T> {
    if (closed) throw new ReportPrintError('The report printer is closed.');
    checkPrintable(request.document);
    let ctx: BrowserContext | null = null;
    let timer: NodeJS.Timeout | undefined;
    const work = (async () => {
      ctx = await context(await browser());
      const page = await ctx.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      await page.goto(server.url, { timeout: timeoutMs });
      await page.waitForFunction(() => 'enclavePrint' in globalThis, undefined, { timeout: timeoutMs });
      try {
        await page.evaluate(
          (req) =>
            (globalThis as unknown as { enclavePrint: { render(r: unknown): Promise<unknown> } }).enclavePrint.render(
              req,
            ),
          request as unknown,
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
    } finally {
      clearTimeout(timer);
      work.catch(() => undefined);
      await (ctx as BrowserContext | null)?.close().catch(() => undefined);
    }
  }

  return {
    async pdf(doc) {
      const bytes = await printWith(
        { kind: 'pdf', document: doc },
        (b) => b.newContext(),
        (page) => page.pdf(playwrightPdfOptions()),
      );
      return withReportMetadata(new Uint8Array(bytes), doc, options.appVersion);
    },
    async png(doc, figureId) {
      const figure = doc.blocks?.find?.((b) => b.id === figureId);
      if (!figure || figure.type !== 'figure') throw new ReportPrintError(`The report has no figure "${figureId}".`);
      const bytes = await printWith(
        { kind: 'png', document: doc, figure: figureId },
        (b) =>
          b.newContext({
            deviceScaleFactor: 2,
            viewport: { width: Math.ceil(REPORT_CONTENT_WIDTH_PX) + 32, height: 800 },
          }),
        (page) => page.locator('#print-figure').screenshot({ type: 'png', animations: 'disabled', timeout: timeoutMs }),
      );
      return new Uint8Array(bytes);
    },
    async close() {
      if (closed) return;
      closed = true;
      const pending = launching;
      launching = null;
      if (pending) await pending.then((b) => b.close()).catch(() => undefined);
      await server.close();
    },
  };
}
