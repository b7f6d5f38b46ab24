import { BrowserWindow, session, type PrintToPDFOptions, type Session } from 'electron';
import type { IpcResult } from '../../common/ipc/result';
import { withReportMetadata } from '../../common/report/pdf-metadata';
import { electronPrintToPdfOptions, REPORT_CONTENT_WIDTH_PX } from '../../common/report/print-options';
import type { ReportPrintRequest } from '../../common/report/report-document';
import { APP_VERSION } from '../../common/version';
import { serveRenderer } from './app-protocol';
import { hardenSession } from './hardening';
import {
  captureRect,
  FIGURE_BOX_SCRIPT,
  planPrint,
  printQueue,
  PNG_ZOOM,
  PRINT_PAGE_URL,
  PRINT_PARTITION,
  PRINT_TIMEOUT_MS,
  withTimeout,
} from './report-print-plan';

/**
 * Electron's report printer: the print page (dist/renderer/print.html, the same renderer code as
 * the app's preview) in a hidden, sandboxed window of its own session, printed with printToPDF or
 * captured as a PNG. The window has no preload and no bridge, so the page it shows cannot call a
 * service; it is closed after each print.
 */
export interface ElectronReportPrinter {
  print(payload: unknown): Promise<IpcResult<Uint8Array>>;
}

// Checked against Electron's own option type: a renamed or missing option fails the build.
const PDF_OPTIONS: PrintToPDFOptions = electronPrintToPdfOptions();

/** A page's content box and a little room: the width a figure is laid out at, as the Chromium printer does. */
const LAYOUT_WIDTH_PX = Math.ceil(REPORT_CONTENT_WIDTH_PX) + 32;

function printWindow(printSession: Session, zoom: number): BrowserWindow {
  const window = new BrowserWindow({
    show: false,
    // At a PNG's zoom the window is that much wider, so the page still lays out at LAYOUT_WIDTH_PX.
    width: LAYOUT_WIDTH_PX * zoom,
    height: 800 * zoom,
    // Laid out and painted although never shown: capturePage needs the pixels.
    paintWhenInitiallyHidden: true,
    webPreferences: {
      session: printSession,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: false,
      disableBlinkFeatures: 'Auxclick',
      backgroundThrottling: false,
      zoomFactor: zoom,
    },
  });
  // As for every web contents (hardening.ts guardAllWebContents), and said here once more: the
  // print page goes nowhere else and opens nothing.
  const contents = window.webContents;
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  return window;
}

async function render(window: BrowserWindow, request: ReportPrintRequest, renderScript: string): Promise<Uint8Array> {
  const contents = window.webContents;
  await contents.loadURL(PRINT_PAGE_URL);
  await contents.executeJavaScript(renderScript, true);
  if (request.kind === 'pdf') {
    const pdf = await contents.printToPDF(PDF_OPTIONS);
    return withReportMetadata(new Uint8Array(pdf), request.document, APP_VERSION);
  }
  const rect = captureRect(await contents.executeJavaScript(FIGURE_BOX_SCRIPT, true));
  if (!rect) throw new Error('the print page drew no figure');
  // capturePage takes what the window shows: make it large enough to hold the whole figure.
  const [width, height] = window.getContentSize() as [number, number];
  window.setContentSize(Math.max(width, rect.x + rect.width), Math.max(height, rect.y + rect.height));
  const image = await contents.capturePage(rect, { stayHidden: true });
  if (image.isEmpty()) throw new Error('the figure could not be captured');
  return new Uint8Array(image.toPNG());
}

/** The printer over the built renderer in `rendererDir`; its session is made on the first print. */
export function createElectronReportPrinter(rendererDir: string): ElectronReportPrinter {
  let printSession: Session | null = null;
  const queue = printQueue();

  async function printOne(request: ReportPrintRequest, renderScript: string): Promise<IpcResult<Uint8Array>> {
    if (!printSession) {
      printSession = session.fromPartition(PRINT_PARTITION, { cache: false });
      hardenSession(printSession, { devtools: false });
      serveRenderer(printSession, rendererDir);
    }
    const window = printWindow(printSession, request.kind === 'png' ? PNG_ZOOM : 1);
    try {
      return await withTimeout(render(window, request, renderScript), PRINT_TIMEOUT_MS, () => window.destroy());
    } finally {
      if (!window.isDestroyed()) window.destroy();
    }
  }

  return {
    async print(payload) {
      const plan = planPrint(payload);
      if (!plan.ok) return plan;
      return queue(() => printOne(plan.value.request, plan.value.renderScript));
    },
  };
}
