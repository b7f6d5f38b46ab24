import { describe, expect, it } from 'vitest';
import { REPORT_PDF_PIECE_CHARS, reportsChannels } from '../../../common/ipc/channels/reports';
import { pdfPieces } from '../../../renderer/features/reports/report-exports';
import { bytesOfPieces } from '../../../renderer/state/reports-state';

describe('a report PDF in base64 pieces (reports.save, reports.pdf)', () => {
  it('splits a PDF into pieces the save request takes, and joins them back to the same bytes', () => {
    const pdf = new Uint8Array(200_003);
    for (let i = 0; i < pdf.length; i++) pdf[i] = (i * 7919) % 256;
    const pieces = pdfPieces(pdf);
    expect(pieces.length).toBe(Math.ceil((Math.ceil(pdf.length / 3) * 4) / REPORT_PDF_PIECE_CHARS));
    for (const piece of pieces.slice(0, -1)) expect(piece.length).toBe(REPORT_PDF_PIECE_CHARS);
    const back = bytesOfPieces(pieces);
    expect(back.length).toBe(pdf.length);
    expect(back.every((byte, i) => byte === pdf[i])).toBe(true);
    const parsed = reportsChannels.save.request.safeParse({
      id: null,
      definition: {
        format: 'enclave-report/1',
        title: 'T',
        author: '',
        model: { id: 1, version: 1 },
        runs: [1],
        outputs: null,
        banner: null,
        authority: null,
        sections: [{ kind: 'summary', portion: 'U', paragraphs: [] }],
        scenarios: null,
      },
      comment: '',
      pdf: pieces,
    });
    expect(parsed.success).toBe(true);
  });
});
