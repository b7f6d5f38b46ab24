import { createHash } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import { REPORT_PDF_MAX_BYTES, REPORT_PDF_PIECE_CHARS } from '../../../common/ipc/contract';
import { ServiceError } from '../service-error';

/** A report's PDF as it arrived: its bytes and the banner its metadata claims (the Subject). */
export interface ArrivedPdf {
  bytes: Buffer;
  sha256: string;
  subject: string | null;
}

const count = (bytes: number) => bytes.toLocaleString('en-US');

/** The file from its base64 pieces: whole base64, within REPORT_PDF_MAX_BYTES. */
export function pdfBytesOf(pieces: readonly string[]): Buffer {
  const base64 = pieces.join('');
  if (base64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(base64))
    throw new ServiceError('INVALID_ARGUMENT', 'The PDF did not arrive whole: its pieces do not join into base64.');
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0) throw new ServiceError('INVALID_ARGUMENT', 'The PDF is empty.');
  if (bytes.length > REPORT_PDF_MAX_BYTES)
    throw new ServiceError(
      'INVALID_ARGUMENT',
      `The PDF is ${count(bytes.length)} bytes; a report's PDF may be at most ${count(REPORT_PDF_MAX_BYTES)} bytes (${REPORT_PDF_MAX_BYTES / 1024 / 1024} MB).`,
    );
  return bytes;
}

export const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Parses the PDF (pdf-lib) and reads the banner its metadata carries: the Subject, read as
 * common/report/pdf-metadata.ts readReportMetadata reads it, in the same one parse that also checks
 * the file has pages (pdf-lib reads a header and nothing else as an empty document).
 */
export async function readArrivedPdf(bytes: Buffer): Promise<ArrivedPdf> {
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-')
    throw new ServiceError('INVALID_ARGUMENT', 'The file is not a PDF: it does not start with %PDF-.');
  let subject: string | null;
  try {
    const file = await PDFDocument.load(bytes, { updateMetadata: false });
    if (file.getPageCount() === 0) throw new Error('it has no pages');
    subject = file.getSubject() ?? null;
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0]!.slice(0, 200) : 'unreadable';
    throw new ServiceError('INVALID_ARGUMENT', `The PDF cannot be read: ${why}.`);
  }
  return { bytes, sha256: sha256Of(bytes), subject };
}

/** The stored file in base64 pieces, as the pdf channel gives it. */
export function pdfPieces(bytes: Buffer): string[] {
  const base64 = bytes.toString('base64');
  const pieces: string[] = [];
  for (let at = 0; at < base64.length; at += REPORT_PDF_PIECE_CHARS)
    pieces.push(base64.slice(at, at + REPORT_PDF_PIECE_CHARS));
  return pieces;
}

/** A file name from the report's title and version: letters, digits and a few safe signs. */
export function pdfFileName(title: string, version: number): string {
  const safe =
    title
      .replace(/[^A-Za-z0-9 ._-]+/g, '_')
      .replace(/^[ .]+/, '')
      .slice(0, 200) || 'report';
  return `${safe} v${version}.pdf`;
}
