/**
 * A report's definition (`enclave-report/1`): what the analyst chose in the report builder, and what
 * the report library keeps as each version (docs/reports.md). Everything a rendered report shows is
 * derived from it and from the saved runs it names (report-document.ts): regenerating a version from
 * the same runs gives the same document.
 */
import { z } from 'zod';

export const REPORT_FORMAT = 'enclave-report/1';

/** The sections a report may have; a definition lists the ones it has, in the order it shows them. */
export const SECTION_KINDS = [
  'title',
  'summary',
  'model',
  'statistics',
  'charts',
  'sensitivity',
  'scenarios',
  'comparison',
  'convergence',
  'settings',
] as const;
export type SectionKind = (typeof SECTION_KINDS)[number];

/** Each section's heading, as the report prints it. */
export const SECTION_TITLES: Readonly<Record<SectionKind, string>> = {
  title: 'Title page',
  summary: 'Executive summary',
  model: 'Model description',
  statistics: 'Statistics and percentiles',
  charts: 'Histograms and S-curves',
  sensitivity: 'Sensitivity: tornado and spider',
  scenarios: 'Scenario analysis',
  comparison: 'Run comparison',
  convergence: 'Convergence',
  settings: 'Run settings',
};

/** The most runs one report compares; runs[0] is the baseline. */
export const MAX_REPORT_RUNS = 8;
/** The most paragraphs of the analyst's text in one section. */
export const MAX_SECTION_PARAGRAPHS = 100;

/** A marking as the marking picker gives it (banner or portion form); parsed under the site's policy by whoever checks it. */
const MarkingText = z.string().min(1).max(500);

export const ReportParagraphSchema = z
  .object({
    /** The paragraph's portion mark. */
    portion: MarkingText,
    text: z.string().min(1).max(20_000),
  })
  .strict();
export type ReportParagraph = z.infer<typeof ReportParagraphSchema>;

export const ReportSectionSchema = z
  .object({
    kind: z.enum(SECTION_KINDS),
    /** The section's portion mark: its heading, tables and figures carry it. */
    portion: MarkingText,
    /** The analyst's text in this section (the executive summary's is its whole content), each paragraph with its own portion mark. */
    paragraphs: z.array(ReportParagraphSchema).max(MAX_SECTION_PARAGRAPHS),
  })
  .strict();
export type ReportSection = z.infer<typeof ReportSectionSchema>;

/** The classification authority block printed on page 1 of a classified report. */
export const AuthorityBlockSchema = z
  .object({
    classifiedBy: z.string().min(1).max(300),
    derivedFrom: z.string().min(1).max(300),
    declassifyOn: z.string().min(1).max(300),
  })
  .strict();
export type AuthorityBlock = z.infer<typeof AuthorityBlockSchema>;

/** Scenarios as the scenario analysis takes them (common/engine/analysis/scenarios.ts), run at the baseline run's seed. */
export const ReportScenarioTableSchema = z
  .object({
    parameters: z
      .array(z.object({ input: z.string().min(1).max(200), parameter: z.string().min(1).max(100) }).strict())
      .min(1)
      .max(50),
    scenarios: z
      .array(
        z
          .object({ name: z.string().min(1).max(200), values: z.array(z.number().finite().nullable()).max(50) })
          .strict(),
      )
      .min(1)
      .max(20),
  })
  .strict();
export type ReportScenarioTable = z.infer<typeof ReportScenarioTableSchema>;

export const ReportDefinitionSchema = z
  .object({
    format: z.literal(REPORT_FORMAT),
    title: z.string().trim().min(1).max(200),
    /** Who the report names as its author (the builder starts with the signed-in user's name). */
    author: z.string().max(200),
    /** The kept model version the runs are of. */
    model: z.object({ id: z.number().int().positive(), version: z.number().int().positive() }).strict(),
    /** Saved run ids, all of that model; the first is the baseline. */
    runs: z.array(z.number().int().positive()).min(1).max(MAX_REPORT_RUNS),
    /** The outputs the report shows, in order; null: every output of the model. */
    outputs: z.array(z.string().min(1).max(200)).min(1).max(2000).nullable(),
    /** A banner raised above the roll-up of the portions, or null for the roll-up itself. Never lower. */
    banner: MarkingText.nullable(),
    /** Null: the site's defaults (a classified report must end up with one). */
    authority: AuthorityBlockSchema.nullable(),
    /** The sections, in the report's order; each kind at most once. */
    sections: z
      .array(ReportSectionSchema)
      .min(1)
      .max(SECTION_KINDS.length)
      .refine((sections) => new Set(sections.map((s) => s.kind)).size === sections.length, {
        message: 'each section may appear once',
      }),
    /** The scenario analysis's table; null when the report has no scenarios. */
    scenarios: ReportScenarioTableSchema.nullable(),
  })
  .strict();
export type ReportDefinition = z.infer<typeof ReportDefinitionSchema>;
