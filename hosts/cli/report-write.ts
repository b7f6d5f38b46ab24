import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Model } from '../../common/model/model';
import { buildReportDocument } from '../../common/report/build-document';
import { reportCsvFiles } from '../../common/report/report-csv';
import type { ReportData, ReportRun } from '../../common/report/report-data';
import type { ReportDocument } from '../../common/report/report-document';
import { reportMarkingOf } from '../../common/report/report-marking';
import { buildReportWorkbook } from '../../common/report/report-workbook';
import { APP_VERSION } from '../../common/version';
import { canonicalJson, sha256Hex } from '../../electron/services/models/model-canonical';
import { rendererDir } from '../app-paths';
import { openReportPrinter } from '../report-print/chromium-printer';
import type { ReportPlan } from './report-command';
import { makeCsvDir, writeWhole } from './report-files';

// Loaded by `simulate` only when it writes a report (exceljs, pdf-lib and the printer are not small):
// every other command starts without them.

export interface WrittenReport {
  pdf: string;
  pages: number | null;
  xlsx: string | null;
  csv: string[];
}

/** The files to write, all made before any is written. */
interface ReportFile {
  path: string;
  bytes: Uint8Array;
}

function pageCount(pdf: Uint8Array): number | null {
  // The page tree's root says how many; enough for a line of output, not a parser.
  const text = Buffer.from(pdf).toString('latin1');
  const counts = [...text.matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)/g)].map((m) => Number(m[1]));
  return counts.length > 0 ? Math.max(...counts) : null;
}

/**
 * Makes the report of the run and writes it: the document (build-document.ts), its PDF from the
 * print page in headless Chromium, the workbook and the CSV files, all in memory first; then each
 * file whole (a temporary file moved into place). Nothing is written if any part fails, and the
 * files of this report already written are removed if a later one cannot be.
 */
export async function writeReport(
  plan: ReportPlan,
  model: Model,
  run: ReportRun,
  createdAt: string,
): Promise<WrittenReport> {
  const data: ReportData = {
    model,
    // The CLI's model is a file, not a library version: named by the hash the library would give it.
    modelVersion: { name: model.name, version: 1, sha256: sha256Hex(canonicalJson(model)) },
    runs: [run],
    scenarioSummaries: null,
    appVersion: APP_VERSION,
    createdAt,
    policy: plan.site.policy,
    systemHigh: plan.site.systemHigh,
    authorityDefaults: plan.site.authorityDefaults,
  };
  const document: ReportDocument = buildReportDocument(plan.definition, data);
  const { targets } = plan;
  const files: ReportFile[] = [];
  const printer = await openReportPrinter({ rendererDir: rendererDir(), appVersion: APP_VERSION });
  let pdf: Uint8Array;
  try {
    pdf = await printer.pdf(document);
  } finally {
    await printer.close();
  }
  files.push({ path: targets.pdf!, bytes: pdf });
  if (targets.xlsx !== null) {
    const samples = run.samples
      ? [{ label: run.label, marking: reportMarkingOf(run.banner, plan.site.policy), samples: run.samples }]
      : [];
    files.push({
      path: targets.xlsx,
      bytes: await buildReportWorkbook(document, { appVersion: APP_VERSION, samples, policy: plan.site.policy }),
    });
  }
  const csv = targets.csvDir === null ? [] : reportCsvFiles(document);
  if (targets.csvDir !== null) {
    makeCsvDir(targets.csvDir);
    for (const file of csv)
      files.push({ path: join(targets.csvDir, file.name), bytes: new TextEncoder().encode(file.text) });
  }
  // Checked again now that the CSV names are known: a file that is there is not replaced without --force.
  if (!targets.force) {
    const there = files.find((file) => existsSync(file.path));
    if (there) throw new Error(`${there.path} exists; nothing was written (give --force to replace it)`);
  }
  const written: string[] = [];
  try {
    for (const file of files) {
      writeWhole(file.path, file.bytes, targets.force);
      written.push(file.path);
    }
  } catch (error) {
    for (const path of written) rmSync(path, { force: true });
    throw error;
  }
  return { pdf: targets.pdf!, pages: pageCount(pdf), xlsx: targets.xlsx, csv: csv.map((file) => file.name) };
}
