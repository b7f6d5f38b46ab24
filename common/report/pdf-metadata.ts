/**
 * A printed report's PDF metadata (Info dictionary), set after printing with pdf-lib: Chromium writes
 * the page's <title> and its own dates, so a regeneration would differ. With every field taken from
 * the document (dates = its createdAt), printing the same document twice gives the same metadata.
 */
import { PDFDocument } from 'pdf-lib';
import type { ReportDocument } from './report-document';

export const REPORT_PDF_PRODUCER = 'Enclave report printer (Chromium, pdf-lib)';

export async function withReportMetadata(
  pdf: Uint8Array,
  doc: ReportDocument,
  appVersion: string,
): Promise<Uint8Array> {
  const file = await PDFDocument.load(pdf, { updateMetadata: false });
  const created = new Date(doc.createdAt);
  if (Number.isNaN(created.getTime())) throw new Error(`The report's date "${doc.createdAt}" is not a date.`);
  file.setTitle(doc.title, { showInWindowTitleBar: true });
  file.setAuthor(doc.author);
  file.setSubject(doc.banner.banner);
  file.setKeywords([doc.banner.banner, 'Enclave report']);
  file.setCreator(`Enclave ${appVersion}`);
  file.setProducer(REPORT_PDF_PRODUCER);
  file.setCreationDate(created);
  file.setModificationDate(created);
  // Classic cross-reference table, no object streams: every PDF reader (and pdftotext) reads it.
  return file.save({ useObjectStreams: false });
}

export interface ReportPdfMetadata {
  title: string | null;
  author: string | null;
  subject: string | null;
}

/** The metadata a stored PDF claims, for the service to hold against its document. */
export async function readReportMetadata(pdf: Uint8Array): Promise<ReportPdfMetadata> {
  const file = await PDFDocument.load(pdf, { updateMetadata: false });
  return { title: file.getTitle() ?? null, author: file.getAuthor() ?? null, subject: file.getSubject() ?? null };
}
