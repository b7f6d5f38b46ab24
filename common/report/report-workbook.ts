/**
 * A report as an Excel workbook (exceljs), made from the same ReportDocument as its PDF: a Summary
 * sheet, one sheet per table `sheet` name in the order they first appear, then one Samples sheet per
 * run that kept samples. Every sheet carries the report's banner in its page header and footer and
 * in its first row (filled with the banner colour), and a Portion column first: each row's portion
 * mark. Numbers are numbers, formatted from their column; nothing is a formula. docs/reports.md.
 *
 * Runs in Node (the service, the CLI) and in the renderer: `exceljs` resolves to its Node build
 * there and to its browser bundle (package.json "browser") under Vite and esbuild's browser platform;
 * tests/e2e/report-workbook-browser.spec.ts builds one under the app's CSP.
 */
import ExcelJS from 'exceljs';
import { sampleCsvColumns } from '../engine/analysis/sample-csv';
import type { RunSamples } from '../engine/analysis/run-samples';
import { dominates } from '../markings/dominance';
import { BANNER_PALETTE, LEVELS } from '../markings/levels';
import type { MarkingPolicy } from '../markings/marking-policy';
import { parseMarking } from '../markings/parse';
import type { ReportBlock, ReportCell, ReportColumn, ReportDocument, ReportMarking } from './report-document';
import { argb, bannerHeaderFooter, numberFormat, uniqueSheetName, workbookValue } from './workbook-format';
import { setZipEntryTimes } from './workbook-zip-dates';

/** How many iterations of a run a Samples sheet holds unless told otherwise; the run's CSV export has them all. */
export const DEFAULT_MAX_SAMPLE_ROWS = 100_000;
/**
 * The most sample cells in all the Samples sheets together unless told otherwise: exceljs holds every
 * cell of a workbook in memory (about a kilobyte each), so a million cost about a gigabyte and tens of
 * seconds. A wide model's runs get fewer rows, shared equally; each sheet says how many it holds.
 */
export const DEFAULT_MAX_SAMPLE_CELLS = 1_000_000;
/** Excel's last row, less the sheet's banner, caption and header rows. */
const EXCEL_MAX_SAMPLE_ROWS = 1_048_576 - 3;
/** The workbook's author in its properties: fixed, so two builds of one report are the same file. */
export const WORKBOOK_CREATOR = 'Enclave';

export interface WorkbookSamples {
  /** The run's name, as the report names it. */
  label: string;
  /** The run's marking: each sample row's portion mark. The report's banner must be at least its level. */
  marking: ReportMarking;
  samples: RunSamples;
}

export interface ReportWorkbookOptions {
  samples?: WorkbookSamples[];
  maxSampleRows?: number;
  /** The most sample cells over all the Samples sheets (DEFAULT_MAX_SAMPLE_CELLS). */
  maxSampleCells?: number;
  /** The app that builds the workbook (the Summary names it). */
  appVersion: string;
  /**
   * The site's marking policy: with it, the report's banner must dominate every run's samples
   * (caveats and all); without it only the classification levels are compared. Give it.
   */
  policy?: MarkingPolicy;
}

type Table = Extract<ReportBlock, { type: 'table' }>;
type Row = ExcelJS.Row;

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7E6E6' } };

export async function buildReportWorkbook(doc: ReportDocument, options: ReportWorkbookOptions): Promise<Uint8Array> {
  const created = new Date(doc.createdAt);
  if (Number.isNaN(created.getTime())) throw new Error(`The report's time "${doc.createdAt}" is not a date.`);
  const maxSampleRows = options.maxSampleRows ?? DEFAULT_MAX_SAMPLE_ROWS;
  const maxSampleCells = options.maxSampleCells ?? DEFAULT_MAX_SAMPLE_CELLS;
  if (!Number.isInteger(maxSampleRows) || maxSampleRows < 1) {
    throw new Error(`The most sample rows in a sheet must be a whole number above 0 (it was ${maxSampleRows}).`);
  }
  if (!Number.isInteger(maxSampleCells) || maxSampleCells < 1) {
    throw new Error(`The most sample cells must be a whole number above 0 (it was ${maxSampleCells}).`);
  }
  for (const run of options.samples ?? []) checkSamplesCovered(doc.banner, run, options.policy);

  const workbook = new ExcelJS.Workbook();
  workbook.creator = WORKBOOK_CREATOR;
  workbook.lastModifiedBy = WORKBOOK_CREATOR;
  workbook.created = created;
  workbook.modified = created;
  workbook.title = doc.title;
  workbook.subject = doc.banner.banner;
  workbook.keywords = doc.banner.banner;

  const names = new Set<string>();
  const sheet = (wanted: string) => markedSheet(workbook, uniqueSheetName(wanted, names), doc.banner);

  const tablesBySheet = new Map<string, Table[]>([['Summary', []]]);
  for (const block of doc.blocks) {
    if (block.type !== 'table') continue;
    const list = tablesBySheet.get(block.sheet) ?? [];
    if (list.length === 0) tablesBySheet.set(block.sheet, list);
    list.push(block);
  }

  for (const [name, tables] of tablesBySheet) {
    const worksheet = sheet(name);
    if (name === 'Summary') writeSummary(worksheet, doc, options.appVersion);
    for (const table of tables) {
      if (worksheet.rowCount > 1) worksheet.addRow([]);
      writeTable(worksheet, table);
    }
    const first = tables[0];
    const sameColumns = tables.every((t) => sameLabels(t.columns, first!.columns));
    // Freeze and repeat on every printed page: the banner, and the header when every table below shares it.
    finishSheet(worksheet, doc.banner, name === 'Summary' ? 2 : first && sameColumns ? 3 : 1);
  }

  const runs = options.samples ?? [];
  for (const run of runs) {
    const worksheet = sheet(runs.length === 1 ? 'Samples' : `Samples ${run.label}`);
    // Each run's share of the cells, in whole rows (a row: the portion, the iteration, every column).
    const rowCells = 2 + sampleCsvColumns(run.samples).length;
    const byCells = Math.max(1, Math.floor(maxSampleCells / runs.length / rowCells));
    writeSamples(worksheet, run, Math.min(maxSampleRows, byCells, EXCEL_MAX_SAMPLE_ROWS));
    finishSheet(worksheet, doc.banner, 3);
  }

  const buffer = await workbook.xlsx.writeBuffer();
  return setZipEntryTimes(new Uint8Array(buffer as unknown as Uint8Array), created);
}

/**
 * Every sheet carries the report's banner, so the samples of a run marked above it (a report that
 * shows only some of a model's items, say) would be under-marked: refused, in words that say how.
 */
function checkSamplesCovered(banner: ReportMarking, run: WorkbookSamples, policy: MarkingPolicy | undefined): void {
  const above = `The samples of "${run.label}" are marked ${run.marking.banner}, above the report's banner ${banner.banner}: raise the report's banner to cover them, or leave the samples out.`;
  if (!policy) {
    if (LEVELS.indexOf(run.marking.level) > LEVELS.indexOf(banner.level)) throw new Error(above);
    return;
  }
  const report = parseMarking(banner.banner, policy);
  const samples = parseMarking(run.marking.banner, policy);
  if (!report.ok || !samples.ok) {
    const bad = report.ok ? run.marking.banner : banner.banner;
    throw new Error(`The workbook cannot be marked: "${bad}" is not a marking this site accepts.`);
  }
  if (!dominates(report.marking, samples.marking, policy)) throw new Error(above);
}

/** A sheet with the banner in its page header and footer, its first row the banner (merged and filled in finishSheet). */
function markedSheet(workbook: ExcelJS.Workbook, name: string, banner: ReportMarking): ExcelJS.Worksheet {
  const header = bannerHeaderFooter(banner.banner, 'header');
  const footer = bannerHeaderFooter(banner.banner, 'footer');
  const worksheet = workbook.addWorksheet(name, {
    properties: { tabColor: { argb: argb(BANNER_PALETTE[banner.level].background) } },
    headerFooter: {
      differentFirst: false,
      differentOddEven: false,
      oddHeader: header,
      oddFooter: footer,
      evenHeader: header,
      evenFooter: footer,
      firstHeader: header,
      firstFooter: footer,
    },
  });
  worksheet.addRow([banner.banner]);
  return worksheet;
}

/** The banner row merged across the used columns and filled; the head rows frozen and printed on every page; widths. */
function finishSheet(worksheet: ExcelJS.Worksheet, banner: ReportMarking, headRows: number): void {
  const columns = Math.max(2, worksheet.columnCount);
  worksheet.mergeCells(1, 1, 1, columns);
  const cell = worksheet.getCell(1, 1);
  const palette = BANNER_PALETTE[banner.level];
  cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: argb(palette.background) } };
  cell.font = { bold: true, color: { argb: argb(palette.foreground) } };
  cell.alignment = { horizontal: 'center', vertical: 'middle' };
  worksheet.views = [{ state: 'frozen', xSplit: 0, ySplit: headRows, topLeftCell: `A${headRows + 1}` }];
  worksheet.pageSetup = {
    ...worksheet.pageSetup,
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    orientation: columns > 8 ? 'landscape' : 'portrait',
    printTitlesRow: `1:${headRows}`,
  };
}

function writeSummary(worksheet: ExcelJS.Worksheet, doc: ReportDocument, appVersion: string): void {
  headerRow(worksheet.addRow(['Portion', 'Item', 'Text']));
  const titlePage = doc.blocks.find((b) => b.type === 'title-page');
  // The title page's mark where the report has one; otherwise the banner's, which is never below it.
  const front = titlePage?.marking.portion ?? doc.banner.portion;
  const overall = doc.banner.portion;
  const rows: [string, string, string][] = [
    [front, 'Title', doc.title],
    [front, 'Author', doc.author],
    [front, 'Created', doc.createdAt],
    [overall, 'Banner', doc.banner.banner],
  ];
  if (doc.authority) {
    rows.push([overall, 'Classified By', doc.authority.classifiedBy]);
    rows.push([overall, 'Derived From', doc.authority.derivedFrom]);
    rows.push([overall, 'Declassify On', doc.authority.declassifyOn]);
  }
  rows.push([front, 'Application', `Enclave ${appVersion}`]);
  if (titlePage?.type === 'title-page') for (const line of titlePage.lines) rows.push([front, 'Title page', line]);
  for (const block of doc.blocks) {
    if (block.section === 'summary' && block.type === 'paragraph') {
      rows.push([block.marking.portion, 'Executive summary', block.text]);
    }
  }
  for (const row of rows) worksheet.addRow(row).getCell(3).alignment = { wrapText: true, vertical: 'top' };
  worksheet.getColumn(1).width = 16;
  worksheet.getColumn(2).width = 20;
  worksheet.getColumn(3).width = 100;
}

function writeTable(worksheet: ExcelJS.Worksheet, table: Table): void {
  const portion = table.marking.portion;
  const caption = worksheet.addRow([portion, table.caption]);
  caption.getCell(2).font = { bold: true, italic: true };
  headerRow(worksheet.addRow(['Portion', ...table.columns.map((c) => c.label)]));
  const formats = table.columns.map(numberFormat);
  for (const cells of table.rows) {
    const row = worksheet.addRow([portion, ...cells.map(workbookValue)]);
    cells.forEach((value, i) => {
      if (typeof value === 'number' && Number.isFinite(value)) row.getCell(i + 2).numFmt = formats[i]!;
    });
  }
  widen(worksheet, table.columns, table.rows);
}

function writeSamples(worksheet: ExcelJS.Worksheet, run: WorkbookSamples, maxRows: number): void {
  const { samples } = run;
  const shown = Math.min(samples.iterations, maxRows);
  const portion = run.marking.portion;
  const note =
    shown < samples.iterations
      ? `Samples of ${run.label}: the first ${shown.toLocaleString('en-US')} of the ${samples.iterations.toLocaleString('en-US')} iterations the run kept. The full samples are in the run's CSV export.`
      : `Samples of ${run.label}: all ${samples.iterations.toLocaleString('en-US')} iterations the run kept.`;
  worksheet.addRow([portion, note]).getCell(2).font = { bold: true, italic: true };
  const columns = sampleCsvColumns(samples);
  headerRow(worksheet.addRow(['Portion', 'Iteration', ...columns.map((c) => c.heading)]));
  const values = new Array<number | string | null>(columns.length + 2);
  values[0] = portion;
  for (let i = 0; i < shown; i++) {
    values[1] = i + 1;
    for (let c = 0; c < columns.length; c++) {
      const x = columns[c]!.values[i]!;
      values[c + 2] = Number.isNaN(x) ? null : (workbookValue(x) as number | string);
    }
    worksheet.addRow(values);
  }
  worksheet.getColumn(1).width = 16;
  worksheet.getColumn(2).width = 12;
  columns.forEach((c, i) => (worksheet.getColumn(i + 3).width = Math.min(40, Math.max(14, c.heading.length + 2))));
}

function headerRow(row: Row): void {
  row.font = { bold: true };
  row.eachCell((cell) => {
    cell.fill = HEADER_FILL;
    cell.border = { bottom: { style: 'thin' } };
  });
}

function sameLabels(a: ReportColumn[], b: ReportColumn[]): boolean {
  return a.length === b.length && a.every((c, i) => c.label === b[i]!.label);
}

/** Column widths from what they hold (never narrower than a sheet's earlier table made them). */
function widen(worksheet: ExcelJS.Worksheet, columns: ReportColumn[], rows: ReportCell[][]): void {
  worksheet.getColumn(1).width = Math.max(worksheet.getColumn(1).width ?? 0, 16);
  columns.forEach((column, i) => {
    let chars = column.label.length;
    for (const row of rows) {
      const cell = row[i];
      chars = Math.max(chars, typeof cell === 'string' ? cell.length : typeof cell === 'number' ? 12 : 0);
    }
    const target = worksheet.getColumn(i + 2);
    target.width = Math.max(target.width ?? 0, Math.min(60, Math.max(10, chars + 2)));
  });
}
