import { describe, expect, it } from 'vitest';
import { REPORT_PDF_MAX_BYTES, REPORT_PDF_PIECE_CHARS } from '../../../common/ipc/channels/reports';
import { pdfBytesOf, pdfFileName, pdfPieces } from '../../../electron/services/reports/report-pdf';

// How a report's PDF crosses the channel: base64 in pieces, joined and bounded by the service.

const refusal = (pieces: string[]) => {
  try {
    pdfBytesOf(pieces);
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected a refusal');
};

describe('report PDF pieces', () => {
  it('joins pieces back into the file, and splits a file into pieces of whole base64', () => {
    const bytes = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7) % 256));
    const pieces = pdfPieces(bytes);
    expect(pieces.length).toBe(Math.ceil(bytes.toString('base64').length / REPORT_PDF_PIECE_CHARS));
    expect(pieces.every((p) => p.length <= REPORT_PDF_PIECE_CHARS && p.length % 4 === 0)).toBe(true);
    expect(pdfBytesOf(pieces).equals(bytes)).toBe(true);
  });

  it('refuses padding in the middle, broken base64, an empty file and one over the limit', () => {
    expect(refusal(['JVBE=', 'Ri0x'])).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/did not arrive whole/),
    });
    expect(refusal(['JVBERi0'])).toMatchObject({ message: expect.stringMatching(/did not arrive whole/) });
    expect(refusal([''])).toMatchObject({ message: 'The PDF is empty.' });
    const over = Buffer.alloc(REPORT_PDF_MAX_BYTES + 3, 0x25);
    expect(refusal(pdfPieces(over))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: "The PDF is 50,331,651 bytes; a report's PDF may be at most 50,331,648 bytes (48 MB).",
    });
  });

  it('names the file after the title and version, with nothing a file system would read as a path', () => {
    expect(pdfFileName('Bridge cost review', 3)).toBe('Bridge cost review v3.pdf');
    expect(pdfFileName('../../etc/passwd', 1)).toBe('_.._etc_passwd v1.pdf');
    expect(pdfFileName('∑∑∑', 2)).toBe('_ v2.pdf');
  });
});
