import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { buildReportDocument } from '../../common/report/build-document';
import { playwrightPdfOptions } from '../../common/report/print-options';
import { reportCsvFiles } from '../../common/report/report-csv';
import type { ReportDocument } from '../../common/report/report-document';
import { buildReportWorkbook, DEFAULT_MAX_SAMPLE_CELLS } from '../../common/report/report-workbook';
import { standardDefinition } from '../../common/report/standard-definition';
import { readStaticFile } from '../../electron/main/web-content';
import { findChromium, OFFLINE_SWITCHES } from '../../hosts/chromium';
import { openReportPrinter } from '../../hosts/report-print/chromium-printer';
import { servePrintPage } from '../../hosts/report-print/print-server';
import { reportPageRules } from '../../renderer/print/page-rules';
import { benchData, benchRun, manyOutputModel } from './report-model';

// Report benchmark (issue 15 target: a 50-page report, many outputs, renders in under 10 s). The
// standard report of two runs of a model with many outputs, printed to PDF by the report printer
// (hosts/report-print: the print page in headless Chromium, React laying out the document, then
// page.pdf and the PDF's metadata) — the path of the browser host and `enclave simulate --report`.
// Its peer, in the same run on the same machine: the same document's already-rendered HTML (the
// print page's DOM after rendering, no script, its @page rule inline; the same stylesheets and
// fonts from a plain server on an origin of their own) given to bare Chromium with page.setContent
// and printed with the same page.pdf options: printing without React or the print page. Needs the built renderer (npm run build: dist/renderer/print.html).
const OUTPUTS = Number(process.env.ENCLAVE_REPORT_OUTPUTS ?? 12);
const ITERATIONS = Number(process.env.ENCLAVE_REPORT_ITERATIONS ?? 20_000);
const TARGET_S = 10;
const RENDERER = join('dist', 'renderer');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const now = () => performance.now();
const pageCount = async (pdf: Uint8Array) => (await PDFDocument.load(pdf, { updateMetadata: false })).getPageCount();

if (!existsSync(join(RENDERER, 'print.html'))) throw new Error('The print page is not built: run npm run build first.');
const chromiumPath = findChromium();
if (!chromiumPath) throw new Error('No Chromium: install chromium or set ENCLAVE_CHROMIUM.');

let start = now();
const model = manyOutputModel(OUTPUTS);
const runs = [benchRun(model, 11, ITERATIONS, 'Baseline'), benchRun(model, 12, ITERATIONS, 'Alternative')];
const data = benchData(model, runs);
const definition = standardDefinition({
  model,
  modelRef: { id: 1, version: 1 },
  runIds: [1, 2],
  author: 'Bench Analyst',
  runs,
  policy: data.policy,
});
const runsMs = now() - start;
start = now();
const doc = buildReportDocument(definition, data);
const buildMs = now() - start;
console.log(
  `${OUTPUTS} outputs, 2 runs of ${ITERATIONS.toLocaleString('en-US')} iterations (${seconds(runsMs)}); document built in ${buildMs.toFixed(0)} ms: ${doc.blocks.length} blocks, banner ${doc.banner.banner}`,
);

/** The print page's rendered DOM as HTML: no script; its stylesheets as links to the same files. */
async function renderedHtml(document: ReportDocument): Promise<string> {
  const { chromium } = await import('playwright-core');
  const server = await servePrintPage(RENDERER);
  const browser = await chromium.launch({ executablePath: chromiumPath!, args: chromiumArgs() });
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => 'enclavePrint' in globalThis);
    await page.evaluate(
      (d) =>
        (globalThis as unknown as { enclavePrint: { render(r: unknown): Promise<unknown> } }).enclavePrint.render({
          kind: 'pdf',
          document: d,
        }),
      document as unknown,
    );
    return (
      (await page.content())
        .replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '')
        .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
        .replace(/<link rel="modulepreload"[^>]*>/g, '')
        // The print page's @page rule is a constructed stylesheet, which the DOM's HTML does not hold.
        .replace('</head>', `<style>${reportPageRules(document.banner)}</style></head>`)
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

/** dist/renderer's files (stylesheets, fonts) and an empty page, with no CSP: where bare Chromium sets the HTML. */
async function serveAssets(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (path === '/blank.html') {
      response
        .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
        .end('<!doctype html><title>blank</title>');
      return;
    }
    readStaticFile(RENDERER, path).then(
      (file) =>
        file
          ? response.writeHead(200, { 'Content-Type': file.contentType }).end(file.body)
          : response.writeHead(404).end(),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function chromiumArgs(): string[] {
  return [...OFFLINE_SWITCHES, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])];
}

/** Bare Chromium: setContent of the rendered HTML, the fonts the banners need, page.pdf; each print in a fresh context. */
interface PageFonts {
  load(font: string, text: string): Promise<unknown>;
  ready: Promise<unknown>;
}

async function openBarePrinter(html: string, banner: string) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath!, args: chromiumArgs() });
  const assets = await serveAssets();
  return {
    async print(): Promise<{ ms: number; pdf: Uint8Array }> {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.goto(`${assets.origin}/blank.html`);
        const t = now();
        await page.setContent(html);
        await page.evaluate(async (text) => {
          // The page's document (this file is type-checked without the DOM library).
          const { fonts } = (globalThis as unknown as { document: { fonts: PageFonts } }).document;
          await Promise.all([
            fonts.load(`700 10pt "Noto Sans"`, text),
            fonts.load(`400 8pt "Noto Sans"`, 'Page 0123456789 of'),
          ]);
          await fonts.ready;
        }, banner);
        const pdf = await page.pdf(playwrightPdfOptions());
        return { ms: now() - t, pdf };
      } finally {
        await context.close();
      }
    },
    async close() {
      await browser.close();
      await assets.close();
    },
  };
}

// Alternately, so that the machine's other load falls on both alike; the first of each warms its browser.
const html = await renderedHtml(doc);
const printer = await openReportPrinter({
  rendererDir: RENDERER,
  chromiumPath,
  appVersion: 'bench',
  timeoutMs: 120_000,
});
const bare = await openBarePrinter(html, doc.banner.banner);
let pdf: Uint8Array;
let barePdf: Uint8Array;
const printed: number[] = [];
const barePrinted: number[] = [];
try {
  pdf = await printer.pdf(doc);
  barePdf = (await bare.print()).pdf;
  for (let i = 0; i < 3; i++) {
    const t = now();
    pdf = await printer.pdf(doc);
    printed.push(now() - t);
    const b = await bare.print();
    barePrinted.push(b.ms);
    barePdf = b.pdf;
  }
} finally {
  await printer.close();
  await bare.close();
}
const pages = await pageCount(pdf);
const bareMs = median(barePrinted);
const barePages = await pageCount(barePdf);

start = now();
const workbook = await buildReportWorkbook(doc, {
  appVersion: 'bench',
  samples: runs.map((run) => ({ label: run.label, marking: doc.banner, samples: run.samples! })),
});
const workbookMs = now() - start;
start = now();
const csv = reportCsvFiles(doc);
const csvMs = now() - start;

const printerMs = median(printed);
console.log(
  `report printer (print page, React, page.pdf, metadata): ${seconds(printerMs)} for ${pages} pages (median of 3; target < ${TARGET_S} s, ratio to target ${(printerMs / 1000 / TARGET_S).toFixed(2)})`,
);
console.log(
  `bare Chromium, the same document's rendered HTML (setContent + page.pdf, no React): ${seconds(bareMs)} for ${barePages} pages (median of 3)`,
);
console.log(`report printer / bare Chromium: ${(printerMs / bareMs).toFixed(2)}×`);
if (pages < 50) console.log(`  (only ${pages} pages: set ENCLAVE_REPORT_OUTPUTS higher for the 50-page figure)`);
const sampleColumns = 1 + model.inputs.length + OUTPUTS;
console.log(
  `workbook with both runs' samples (${sampleColumns} columns each, at most ${DEFAULT_MAX_SAMPLE_CELLS.toLocaleString('en-US')} sample cells in all): ${seconds(workbookMs)}, ${(workbook.length / 1024 / 1024).toFixed(1)} MiB; ${csv.length} CSV files: ${csvMs.toFixed(0)} ms`,
);
