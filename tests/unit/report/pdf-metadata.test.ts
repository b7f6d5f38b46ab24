import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { readReportMetadata, REPORT_PDF_PRODUCER, withReportMetadata } from '../../../common/report/pdf-metadata';
import { reportDocumentFixture } from '../../support/report-document-fixture';

async function blankPdf(): Promise<Uint8Array> {
  const file = await PDFDocument.create();
  file.addPage([612, 792]);
  file.setTitle('Enclave report');
  file.setCreationDate(new Date());
  return file.save();
}

describe('report PDF metadata', () => {
  const doc = reportDocumentFixture();

  it('sets title, author, the banner as subject and keywords, creator with the version, and the document’s date', async () => {
    const pdf = await withReportMetadata(await blankPdf(), doc, '1.2.3');
    const file = await PDFDocument.load(pdf, { updateMetadata: false });
    expect(file.getTitle()).toBe(doc.title);
    expect(file.getAuthor()).toBe('J. Analyst');
    expect(file.getSubject()).toBe('SECRET//NOFORN');
    expect(file.getKeywords()).toBe('SECRET//NOFORN Enclave report');
    expect(file.getCreator()).toBe('Enclave 1.2.3');
    expect(file.getProducer()).toBe(REPORT_PDF_PRODUCER);
    expect(file.getCreationDate()?.toISOString()).toBe(doc.createdAt);
    expect(file.getModificationDate()?.toISOString()).toBe(doc.createdAt);
    expect(await readReportMetadata(pdf)).toEqual({
      title: doc.title,
      author: 'J. Analyst',
      subject: 'SECRET//NOFORN',
    });
  });

  it('gives the same bytes for the same document printed at different times', async () => {
    const first = await withReportMetadata(await blankPdf(), doc, '1.2.3');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await withReportMetadata(await blankPdf(), doc, '1.2.3');
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
  });

  it('refuses a document whose date is not a date, and reads a PDF without metadata as nulls', async () => {
    await expect(withReportMetadata(await blankPdf(), { ...doc, createdAt: 'soon' }, '1')).rejects.toThrow(
      'The report\'s date "soon" is not a date.',
    );
    const bare = await PDFDocument.create();
    bare.addPage();
    expect(await readReportMetadata(await bare.save({ updateFieldAppearances: false }))).toMatchObject({
      author: null,
      subject: null,
    });
  });
});
