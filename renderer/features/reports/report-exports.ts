/**
 * The report's exports: each is made from the one document, put on the record by the service
 * (reports.recordExport, which checks the markings again) and only then saved (renderer/ipc/save-file).
 * "Save to library" renders the PDF and keeps it with the definition as a new version (reports.save).
 */
import { REPORT_PDF_PIECE_CHARS } from '../../../common/ipc/channels/reports';
import type { SavedFileType } from '../../../common/ipc/files';
import type { ReportDefinition } from '../../../common/report/report-definition';
import type { ReportDocument } from '../../../common/report/report-document';
import type { ReportData } from '../../../common/report/report-data';
import { reportMarkingOf } from '../../../common/report/report-marking';
import { buildReportWorkbook, type WorkbookSamples } from '../../../common/report/report-workbook';
import { reportCsvFiles } from '../../../common/report/report-csv';
import { getBridge } from '../../ipc/bridge';
import { printReport } from '../../ipc/print-report';
import { saveFile } from '../../ipc/save-file';
import { toBase64 } from '../../engine/sample-codec';
import { reportFileStem } from './report-permissions';

export type ExportFormat = 'pdf' | 'xlsx' | 'csv' | 'png';

/**
 * The workbook is built on the page's thread, and exceljs holds every cell in memory: a million
 * sample cells took about a minute. The Samples sheets say how many iterations they hold; the run's
 * CSV export has them all.
 */
const PAGE_SAMPLE_CELLS = 200_000;

interface MadeFile {
  name: string;
  type: SavedFileType;
  content: string | Uint8Array;
}

/** The service's word on an export; throws its refusal in its words. */
async function record(definition: ReportDefinition, format: ExportFormat, fileName: string): Promise<void> {
  const answer = await getBridge().reports.recordExport({ definition, format, fileName });
  if (!answer.ok) throw new Error(`The export was refused: ${answer.error.message}`);
  if (!answer.value.ok)
    throw new Error(
      `The export was refused: ${answer.value.problems.map((p) => `${p.where} ${p.portion}: ${p.message}`).join('; ')}`,
    );
}

/** Bytes over a plain ArrayBuffer, as a save takes them (a copy only of bytes over a shared one). */
const plainBytes = (bytes: Uint8Array): Uint8Array<ArrayBuffer> =>
  bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);

async function save(file: MadeFile): Promise<string | null> {
  const content = typeof file.content === 'string' ? file.content : plainBytes(file.content);
  const saved = await saveFile({ ...file, content });
  if (!saved.ok) throw new Error(saved.error.message);
  return saved.value.saved ? saved.value.name : null;
}

/** The report's PDF, printed by the print page (Electron printToPDF, or the browser host's Chromium). */
export async function renderReportPdf(document: ReportDocument): Promise<Uint8Array> {
  const printed = await printReport({ kind: 'pdf', document });
  if (!printed.ok) throw new Error(`The PDF was not made: ${printed.error.message}`);
  return printed.value;
}

async function renderFigurePng(document: ReportDocument, figure: string): Promise<Uint8Array> {
  const printed = await printReport({ kind: 'png', document, figure });
  if (!printed.ok) throw new Error(`The figure's PNG was not made: ${printed.error.message}`);
  return printed.value;
}

/** The runs' kept samples, each marked as its run, for the workbook's Samples sheets. */
function workbookSamples(data: ReportData): WorkbookSamples[] {
  return data.runs.flatMap((run) =>
    run.samples ? [{ label: run.label, marking: reportMarkingOf(run.banner, data.policy), samples: run.samples }] : [],
  );
}

/** Makes the files of one export, records it, saves them; answers what was saved, in words. */
export async function exportReport(
  built: { definition: ReportDefinition; document: ReportDocument; data: ReportData },
  format: ExportFormat,
  figure?: string,
): Promise<string> {
  const { definition, document, data } = built;
  const stem = reportFileStem(definition.title);
  let files: MadeFile[];
  if (format === 'pdf')
    files = [{ name: `${stem}.pdf`, type: 'application/pdf', content: await renderReportPdf(document) }];
  else if (format === 'xlsx')
    files = [
      {
        name: `${stem}.xlsx`,
        type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        content: await buildReportWorkbook(document, {
          appVersion: data.appVersion,
          samples: workbookSamples(data),
          policy: data.policy,
          maxSampleCells: PAGE_SAMPLE_CELLS,
        }),
      },
    ];
  else if (format === 'csv')
    files = reportCsvFiles(document).map((file) => ({
      name: `${stem}-${file.name}`,
      type: 'text/csv' as const,
      content: file.text,
    }));
  else {
    if (!figure) throw new Error('Choose a figure to save as PNG.');
    files = [
      {
        name: `${stem}-${figure}.png`,
        type: 'image/png',
        content: await renderFigurePng(document, figure),
      },
    ];
  }
  const names: string[] = [];
  for (const file of files) {
    await record(definition, format, file.name);
    const name = await save(file);
    if (name) names.push(name);
  }
  return names.length > 0
    ? `Saved ${names.join(', ')} (${document.banner.banner}).`
    : 'The export was recorded; no file was saved (the save was cancelled).';
}

/** A PDF as base64 in the pieces reports.save takes. */
export function pdfPieces(pdf: Uint8Array): string[] {
  const text = toBase64(pdf);
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += REPORT_PDF_PIECE_CHARS)
    pieces.push(text.slice(at, at + REPORT_PDF_PIECE_CHARS));
  return pieces.length > 0 ? pieces : [''];
}
