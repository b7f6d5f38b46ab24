/**
 * What the printer checks before it hands a document to the print page: the shape the page needs to
 * render every block. The document is built by buildReportDocument, but the printer is called by the
 * browser host and the CLI too, so a malformed one is refused here with the place that is wrong,
 * rather than failing half-way through layout.
 */
import { z } from 'zod';
import { LEVELS } from '../../common/markings/levels';
import { REPORT_DOCUMENT_FORMAT, type ReportDocument } from '../../common/report/report-document';
import { SECTION_KINDS } from '../../common/report/report-definition';

const text = z.string().max(100_000);
const num = z.number().nullable();
const Marking = z.object({
  banner: z.string().min(1).max(500),
  portion: z.string().min(1).max(500),
  level: z.enum(LEVELS),
});
const Base = { id: z.string().min(1).max(200), section: z.enum(SECTION_KINDS) };
const Marked = { ...Base, marking: Marking };

const Chart = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('lines'),
    xLabel: text,
    yLabel: text,
    xScale: z.enum(['linear', 'log']).optional(),
    series: z.array(z.object({ label: text, points: z.array(z.tuple([num, num])) })),
  }),
  z.object({
    kind: z.literal('histogram'),
    xLabel: text,
    yLabel: text,
    edges: z.array(num),
    series: z.array(z.object({ label: text, values: z.array(num) })),
  }),
  z.object({
    kind: z.literal('tornado'),
    xLabel: text,
    baseline: num,
    bars: z.array(z.object({ label: text, low: num, high: num })),
  }),
]);

const Block = z.discriminatedUnion('type', [
  z.object({ ...Marked, type: z.literal('heading'), level: z.union([z.literal(1), z.literal(2)]), text }),
  z.object({ ...Marked, type: z.literal('paragraph'), text }),
  z.object({
    ...Marked,
    type: z.literal('table'),
    caption: text,
    sheet: text,
    columns: z
      .array(
        z.object({
          label: text,
          kind: z.enum(['text', 'integer', 'number', 'percent']),
          decimals: z.number().int().min(0).max(20).optional(),
        }),
      )
      .min(1),
    rows: z.array(z.array(z.union([z.string(), num]))),
  }),
  z.object({ ...Marked, type: z.literal('figure'), caption: text, chart: Chart }),
  z.object({ ...Marked, type: z.literal('title-page'), title: text, lines: z.array(text) }),
  z.object({ ...Base, type: z.literal('page-break') }),
]);

const PrintableDocument = z.object({
  format: z.literal(REPORT_DOCUMENT_FORMAT),
  title: z.string().min(1).max(1000),
  author: z.string().max(1000),
  banner: Marking,
  authority: z.object({ classifiedBy: text, derivedFrom: text, declassifyOn: text }).nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  blocks: z.array(Block).min(1),
});

export class ReportPrintError extends Error {
  override name = 'ReportPrintError';
}

/** Throws ReportPrintError naming the first thing that would not render; returns the document unchanged. */
export function checkPrintable(doc: unknown): ReportDocument {
  const parsed = PrintableDocument.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') : 'the document';
    throw new ReportPrintError(`The report cannot be printed: ${where}: ${issue.message}.`);
  }
  const ids = new Set<string>();
  for (const block of (doc as ReportDocument).blocks) {
    if (ids.has(block.id))
      throw new ReportPrintError(`The report cannot be printed: two blocks are named "${block.id}".`);
    ids.add(block.id);
  }
  return doc as ReportDocument;
}
