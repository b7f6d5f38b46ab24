import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { buildReportDocument } from '../../common/report/build-document';
import { playwrightPdfOptions } from '../../common/report/print-options';
import { reportCsvFiles } from '../../common/report/report-csv';
import type { ReportDocument } from '../../common/report/report-document';
import { buildReportWorkbook, DEFAULT_MAX_SAMPLE_CELLS } from '../../common/report/report-workbook';
import { standardDefinition } from '../../common/report/standard-definition';
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
// print page's DOM after rendering, its stylesheets and fonts inlined, no script) given to bare
// Chromium with page.setContent and printed with the same page.pdf options: printing without React
// or the print page. Needs the built renderer (npm run build: dist/renderer/print.html).
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

/** The print page's rendered DOM as one self-contained HTML: no script, its stylesheets and fonts inline. */
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
    return selfContained(await page.content(), document);
  } finally {
    await browser.close();
    await server.close();
  }
}

function selfContained(html: string, document: ReportDocument): string {
  const asset = (href: string) => join(RENDERER, href.replace(/^\//, ''));
  const inlineFonts = (css: string) =>
    css
      // The woff fallbacks are never fetched by Chromium; the woff2 files go in as data: URLs.
      .replace(/,\s*url\([^)]*\.woff\)\s*format\(["']?woff["']?\)/g, '')
      .replace(
        /url\((\/assets\/[^)]+\.woff2)\)/g,
        (_, href: string) => `url(data:font/woff2;base64,${readFileSync(asset(href)).toString('base64')})`,
      );
  return (
    html
      .replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '')
      .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
      .replace(/<link rel="modulepreload"[^>]*>/g, '')
      .replace(
        /<link rel="stylesheet"[^>]*href="([^"]+)"[^>]*>/g,
        (_, href: string) => `<style>${inlineFonts(readFileSync(asset(href), 'utf8'))}</style>`,
      )
      // The print page's @page rule is a constructed stylesheet, which the DOM's HTML does not hold.
      .replace('</head>', `<style>${reportPageRules(document.banner)}</style></head>`)
  );
}

function chromiumArgs(): string[] {
  return [...OFFLINE_SWITCHES, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])];
}

/** Bare Chromium: setContent of the rendered HTML, the fonts the banners need, page.pdf. */
interface PageFonts {
  load(font: string, text: string): Promise<unknown>;
  ready: Promise<unknown>;
}

async function printBare(html: string, banner: string, times: number): Promise<{ ms: number[]; pdf: Uint8Array }> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath!, args: chromiumArgs() });
  const ms: number[] = [];
  let pdf: Uint8Array = new Uint8Array(0);
  try {
    for (let i = 0; i < times; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
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
      pdf = await page.pdf(playwrightPdfOptions());
      ms.push(now() - t);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return { ms, pdf };
}

const printer = await openReportPrinter({
  rendererDir: RENDERER,
  chromiumPath,
  appVersion: 'bench',
  timeoutMs: 120_000,
});
let pdf: Uint8Array;
const printed: number[] = [];
try {
  pdf = await printer.pdf(doc); // the first print launches Chromium
  for (let i = 0; i < 3; i++) {
    const t = now();
    pdf = await printer.pdf(doc);
    printed.push(now() - t);
  }
} finally {
  await printer.close();
}
const pages = await pageCount(pdf);

const html = await renderedHtml(doc);
const bare = await printBare(html, doc.banner.banner, 4);
const bareMs = median(bare.ms.slice(1)); // the first warms the browser
const barePages = await pageCount(bare.pdf);

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
