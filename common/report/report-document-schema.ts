/**
 * The checked form of a ReportPrintRequest (report-document.ts): what Electron's main process and
 * the browser host accept from the page before they print. Every list and string is bounded, so a
 * request cannot make the printer lay out without end; the whole request is bounded in bytes too.
 */
import { z } from 'zod';
import { LEVELS } from '../markings';
import { AuthorityBlockSchema, SECTION_KINDS } from './report-definition';
import { REPORT_DOCUMENT_FORMAT, type ReportDocument, type ReportPrintRequest } from './report-document';

/** The most bytes a print request may take as JSON (a report with every section of several runs is far below). */
export const MAX_PRINT_REQUEST_BYTES = 32 * 1024 ** 2;
/** The most blocks one document may have (a 50-page report has a few hundred). */
export const MAX_REPORT_BLOCKS = 20_000;
/** The most rows of one table (a percentile table of 2,000 outputs; kept samples are a workbook's, not the print's). */
export const MAX_TABLE_ROWS = 200_000;
export const MAX_TABLE_COLUMNS = 200;
/** The most points of one series of a line chart (a convergence trace or an S-curve). */
export const MAX_SERIES_POINTS = 100_000;
export const MAX_CHART_SERIES = 100;
/** The most bins of a histogram, and bars of a tornado. */
export const MAX_HISTOGRAM_BINS = 10_000;
export const MAX_TORNADO_BARS = 2_000;

const Label = z.string().max(500);
const Text = z.string().max(20_000);
/**
 * A number that may be undefined: JSON (the browser host) carries NaN and ±Infinity as null, Electron's
 * IPC (structured clone) carries them as they are. Both become NaN (a chart's gap), so the two paths
 * print the same document.
 */
const LooseNumber = z.union([z.number(), z.nan(), z.literal(Infinity), z.literal(-Infinity), z.null()]);
const ChartNumber = LooseNumber.transform((value) => (value === null || !Number.isFinite(value) ? Number.NaN : value));

const MarkingSchema = z
  .object({ banner: z.string().min(1).max(500), portion: z.string().min(1).max(500), level: z.enum(LEVELS) })
  .strict();

const ColumnSchema = z
  .object({
    label: Label,
    kind: z.enum(['text', 'integer', 'number', 'percent']),
    decimals: z.number().int().min(0).max(20).optional(),
  })
  .strict();

/** A cell: text, a number, or null for an undefined statistic (a NaN or ±Infinity that reached here is one). */
const CellSchema = z
  .union([z.string().max(5_000), LooseNumber])
  .transform((cell) => (typeof cell === 'number' && !Number.isFinite(cell) ? null : cell));

const ChartSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('lines'),
      xLabel: Label,
      yLabel: Label,
      xScale: z.enum(['linear', 'log']).optional(),
      series: z
        .array(
          z
            .object({
              label: Label,
              points: z.array(z.tuple([ChartNumber, ChartNumber])).max(MAX_SERIES_POINTS),
            })
            .strict(),
        )
        .max(MAX_CHART_SERIES),
    })
    .strict(),
  z
    .object({
      kind: z.literal('histogram'),
      xLabel: Label,
      yLabel: Label,
      edges: z.array(ChartNumber).max(MAX_HISTOGRAM_BINS + 1),
      series: z
        .array(z.object({ label: Label, values: z.array(ChartNumber).max(MAX_HISTOGRAM_BINS) }).strict())
        .max(MAX_CHART_SERIES),
    })
    .strict(),
  z
    .object({
      kind: z.literal('tornado'),
      xLabel: Label,
      baseline: ChartNumber,
      bars: z.array(z.object({ label: Label, low: ChartNumber, high: ChartNumber }).strict()).max(MAX_TORNADO_BARS),
    })
    .strict(),
]);

const base = { id: z.string().min(1).max(200), section: z.enum(SECTION_KINDS) };
const marked = { ...base, marking: MarkingSchema };

const BlockSchema = z.discriminatedUnion('type', [
  z
    .object({ ...marked, type: z.literal('heading'), level: z.union([z.literal(1), z.literal(2)]), text: Text })
    .strict(),
  z.object({ ...marked, type: z.literal('paragraph'), text: Text }).strict(),
  z
    .object({
      ...marked,
      type: z.literal('table'),
      caption: Text,
      sheet: z.string().min(1).max(100),
      columns: z.array(ColumnSchema).min(1).max(MAX_TABLE_COLUMNS),
      rows: z.array(z.array(CellSchema).max(MAX_TABLE_COLUMNS)).max(MAX_TABLE_ROWS),
    })
    .strict()
    .refine((table) => table.rows.every((row) => row.length === table.columns.length), {
      message: 'every row of a table has one cell per column',
      path: ['rows'],
    }),
  z.object({ ...marked, type: z.literal('figure'), caption: Text, chart: ChartSchema }).strict(),
  z.object({ ...marked, type: z.literal('title-page'), title: Text, lines: z.array(Text).max(200) }).strict(),
  z.object({ ...base, type: z.literal('page-break') }).strict(),
]);

export const ReportDocumentSchema = z
  .object({
    format: z.literal(REPORT_DOCUMENT_FORMAT),
    title: z.string().min(1).max(200),
    author: z.string().max(200),
    banner: MarkingSchema,
    authority: AuthorityBlockSchema.nullable(),
    createdAt: z.iso.datetime({ offset: true }),
    blocks: z.array(BlockSchema).max(MAX_REPORT_BLOCKS),
  })
  .strict()
  .refine((document) => new Set(document.blocks.map((block) => block.id)).size === document.blocks.length, {
    message: 'every block has its own id',
    path: ['blocks'],
  });

export const ReportPrintRequestSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('pdf'), document: ReportDocumentSchema }).strict(),
    z.object({ kind: z.literal('png'), document: ReportDocumentSchema, figure: z.string().min(1).max(200) }).strict(),
  ])
  .refine(
    (request) =>
      request.kind === 'pdf' ||
      request.document.blocks.some((block) => block.type === 'figure' && block.id === request.figure),
    { message: 'the figure to draw is not in the document', path: ['figure'] },
  );

/**
 * A print request from the page, checked: the request as the printer takes it, or a plain message
 * that says what is wrong and where (never the whole of zod's report).
 */
export function checkPrintRequest(
  payload: unknown,
): { ok: true; request: ReportPrintRequest } | { ok: false; message: string } {
  const parsed = ReportPrintRequestSchema.safeParse(payload);
  if (parsed.success) return { ok: true, request: parsed.data as ReportPrintRequest };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` (at ${issue.path.slice(0, 6).join('.')})` : '';
  return { ok: false, message: `The report to print is invalid: ${issue?.message ?? 'unreadable'}${where}.` };
}

// The schema's output and the document type must stay the same shape.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const documentMatches: Same<z.output<typeof ReportDocumentSchema>, ReportDocument> = true;
void documentMatches;
