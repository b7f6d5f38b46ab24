import { z } from 'zod';
import { Sha256Hex, When, type ChannelGroup } from '../channel';
import { ModelAccessSchema, ShareGrantSchema } from './models';
import { AuthorityBlockSchema, ReportDefinitionSchema } from '../../report/report-definition';

const ReportId = z.number().int().positive();
const VersionNo = z.number().int().positive();
const Comment = z.string().max(2000);

/** The most a stored report's PDF may be: a long report with many charts is a few megabytes. */
export const REPORT_PDF_MAX_BYTES = 48 * 1024 * 1024;
/** Characters of base64 in one piece (a multiple of 4, so the pieces join into the file's base64). */
export const REPORT_PDF_PIECE_CHARS = 64 * 1024;
const PdfPieces = z
  .array(
    z
      .string()
      .max(REPORT_PDF_PIECE_CHARS)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64'),
  )
  .min(1)
  .max(Math.ceil((Math.ceil(REPORT_PDF_MAX_BYTES / 3) * 4) / REPORT_PDF_PIECE_CHARS));
const PDF_REQUEST_BYTES = Math.ceil(REPORT_PDF_MAX_BYTES / 3) * 4 + 1024 * 1024;

export const ReportSummarySchema = z
  .object({
    id: ReportId,
    title: z.string().max(200),
    /** The latest version's banner. */
    banner: z.string().max(500),
    owner: z.object({ id: z.number().int(), name: z.string().max(200) }).strict(),
    model: z.object({ id: z.number().int().positive(), version: VersionNo, name: z.string().max(200) }).strict(),
    updatedAt: When,
    versions: z.number().int().nonnegative(),
    access: ModelAccessSchema,
  })
  .strict();
export type ReportSummary = z.infer<typeof ReportSummarySchema>;

export const ReportVersionSchema = z
  .object({
    version: VersionNo,
    /** Who saved this version (the signed-in user; the definition's author is what the report prints). */
    savedBy: z.string().max(200),
    createdAt: When,
    comment: Comment,
    banner: z.string().max(500),
    /** The rendered PDF kept with this version. */
    pdf: z.object({ sha256: Sha256Hex, bytes: z.number().int().positive() }).strict(),
  })
  .strict();
export type ReportVersion = z.infer<typeof ReportVersionSchema>;

/** The service's word on a definition's markings: the banner it will carry, or every portion that stops it. */
export const ReportMarkingVerdictSchema = z.discriminatedUnion('ok', [
  z
    .object({
      ok: z.literal(true),
      /** The roll-up of every portion. */
      rollup: z.string().max(500),
      /** The report's banner: the roll-up, or the analyst's raise of it. */
      banner: z.string().max(500),
      /** The authority block page 1 will carry (the definition's, else the site's defaults); null when unclassified. */
      authority: AuthorityBlockSchema.nullable(),
    })
    .strict(),
  z
    .object({
      ok: z.literal(false),
      problems: z
        .array(
          z
            .object({
              /** Where: 'section "Statistics and percentiles"', 'paragraph 2 of "Executive summary"', 'the banner'. */
              where: z.string().max(300),
              portion: z.string().max(500),
              message: z.string().max(1000),
            })
            .strict(),
        )
        .min(1)
        .max(2000),
    })
    .strict(),
]);
export type ReportMarkingVerdict = z.infer<typeof ReportMarkingVerdictSchema>;

const ById = z.object({ id: ReportId }).strict();
const Summary = z.object({ report: ReportSummarySchema }).strict();

/** reports.*: the report library in the encrypted store (docs/reports.md). */
export const reportsChannels = {
  /** Own reports, reports shared with me (an administrator: every report), newest first. */
  list: {
    request: z.object({ model: z.number().int().positive().optional() }).strict(),
    response: z.object({ reports: z.array(ReportSummarySchema).max(100_000) }).strict(),
    requiresConsent: true,
    access: 'models.read',
  },
  /** A report's definition: the latest version, or the one named; grants for its owner. */
  open: {
    request: z.object({ id: ReportId, version: VersionNo.optional() }).strict(),
    response: z
      .object({
        report: ReportSummarySchema,
        version: ReportVersionSchema,
        definition: ReportDefinitionSchema,
        grants: z.array(ShareGrantSchema).max(200).nullable(),
      })
      .strict(),
    requiresConsent: true,
    access: 'models.read',
  },
  /**
   * Checks a definition's markings as a save or an export will (the site's policy and system high,
   * each section against what it shows, the banner never below the roll-up), and whether the
   * caller may read its model version and runs. Nothing is stored.
   */
  check: {
    request: z.object({ definition: ReportDefinitionSchema }).strict(),
    response: ReportMarkingVerdictSchema,
    requiresConsent: true,
    access: 'models.read',
  },
  /**
   * A new version: the definition and the PDF rendered from it (`id` null: a new report, owned by
   * the caller). Refused, with every problem, when the markings do not check; the PDF's metadata
   * must carry the banner the service computed.
   */
  save: {
    request: z
      .object({ id: ReportId.nullable(), definition: ReportDefinitionSchema, comment: Comment, pdf: PdfPieces })
      .strict(),
    response: z.object({ report: ReportSummarySchema, version: ReportVersionSchema }).strict(),
    requiresConsent: true,
    access: 'models.write',
    maxRequestBytes: PDF_REQUEST_BYTES,
  },
  versions: {
    request: ById,
    response: z.object({ versions: z.array(ReportVersionSchema).max(100_000) }).strict(),
    requiresConsent: true,
    access: 'models.read',
  },
  /** A version's stored PDF (audited `report.export`), with its hash checked on the way out. */
  pdf: {
    request: z.object({ id: ReportId, version: VersionNo }).strict(),
    response: z
      .object({ fileName: z.string().max(255), banner: z.string().max(500), sha256: Sha256Hex, pdf: PdfPieces })
      .strict(),
    requiresConsent: true,
    access: 'models.read',
  },
  /**
   * Puts an export of a definition on the record (`report.export`, with the banner and format)
   * after checking its markings again; the caller saves the file only after this succeeds.
   */
  recordExport: {
    request: z
      .object({
        definition: ReportDefinitionSchema,
        format: z.enum(['pdf', 'xlsx', 'csv', 'png']),
        fileName: z.string().max(255),
      })
      .strict(),
    response: ReportMarkingVerdictSchema,
    requiresConsent: true,
    access: 'models.read',
  },
  /** Owner only: replaces the report's grants. */
  share: {
    request: z.object({ id: ReportId, grants: z.array(ShareGrantSchema).max(200) }).strict(),
    response: z.object({ grants: z.array(ShareGrantSchema).max(200) }).strict(),
    requiresConsent: true,
    access: 'models.write',
  },
  /** Owner (or an administrator): deletes the report and every version. */
  delete: { request: ById, response: Summary, requiresConsent: true, access: 'models.write' },
} as const satisfies ChannelGroup;
