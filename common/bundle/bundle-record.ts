import { z } from 'zod';
import { RunResultsSchema, RunSettingsSchema } from '../ipc/channels/runs';
import { ModelSchema } from '../model/model';
import { ReportDefinitionSchema } from '../report/report-definition';
import { RECORD_FORMAT } from './bundle-format';

/**
 * One record of a bundle: a file under data/records/ (docs/bundle-format.md, "Records"). Records
 * refer to each other by origin key (`model:<id>`, `run:<id>`, `report:<id>`: the ids on the source
 * workstation), never by the receiving store's ids; a run or report travels with the model version
 * it is of, unless an earlier bundle from the same site brought it.
 */
const Name = z.string().max(200);
const Comment = z.string().max(2000);
const Instant = z.string().datetime({ offset: true });
const Author = z.string().max(200);
const ModelKey = z.string().regex(/^model:[1-9][0-9]{0,15}$/);
const RunKey = z.string().regex(/^run:[1-9][0-9]{0,15}$/);
const ReportKey = z.string().regex(/^report:[1-9][0-9]{0,15}$/);
const Version = z.number().int().min(1).max(1_000_000);
const ModelVersionRef = z.object({ key: ModelKey, version: Version }).strict();

/** Record files larger than this are refused before they are parsed (a report's PDF is the big one). */
export const RECORD_MAX_BYTES = 64 * 1024 * 1024;

const Common = {
  format: z.literal(RECORD_FORMAT),
  /** The record's own marking, as its portion mark (e.g. `S//NF`, `U`, `CUI`). */
  portionMark: z.string().min(1).max(300),
};

export const ModelVersionRecordSchema = z
  .object({
    ...Common,
    kind: z.literal('model-version'),
    model: z
      .object({
        key: ModelKey,
        name: Name.min(1),
        version: Version,
        comment: Comment,
        author: Author,
        createdAt: Instant,
        body: ModelSchema,
      })
      .strict(),
  })
  .strict();

export const RunRecordSchema = z
  .object({
    ...Common,
    kind: z.literal('run'),
    run: z
      .object({
        key: RunKey,
        model: ModelVersionRef,
        /** The model's name, so the run can be named in words before its model is looked up. */
        modelName: Name,
        name: Name,
        comment: Comment,
        author: Author,
        seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
        sampling: z.enum(['mc', 'lhs']),
        engine: z.enum(['cpu', 'webgpu']),
        engineDescription: z.string().max(500),
        iterations: z.number().int().positive().max(100_000_000),
        appVersion: z.string().max(100),
        settings: RunSettingsSchema,
        results: RunResultsSchema,
        startedAt: Instant.nullable(),
        finishedAt: Instant.nullable(),
        savedAt: Instant,
      })
      .strict(),
  })
  .strict();

export const ReportRecordSchema = z
  .object({
    ...Common,
    kind: z.literal('report'),
    report: z
      .object({
        key: ReportKey,
        title: Name.min(1),
        version: Version,
        comment: Comment,
        author: Author,
        createdAt: Instant,
        model: ModelVersionRef,
        runs: z.array(RunKey).min(1).max(64),
        /** The definition with the source's ids; the receiver maps them to its own. */
        definition: ReportDefinitionSchema,
        /** The report's PDF, base64. */
        pdf: z
          .string()
          .min(4)
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64'),
        pdfSha256: z.string().regex(/^[0-9a-f]{64}$/),
      })
      .strict(),
  })
  .strict();

export const BundleRecordSchema = z.discriminatedUnion('kind', [
  ModelVersionRecordSchema,
  RunRecordSchema,
  ReportRecordSchema,
]);

export type BundleRecord = z.infer<typeof BundleRecordSchema>;
export type RecordKind = BundleRecord['kind'];

/** The record's origin key and, for versioned records, its version: what it is, in words. */
export function describeRecord(record: BundleRecord): string {
  switch (record.kind) {
    case 'model-version':
      return `model "${record.model.name}" version ${record.model.version}`;
    case 'run':
      return `run "${record.run.name || record.run.key}" of model "${record.run.modelName}" version ${record.run.model.version}`;
    case 'report':
      return `report "${record.report.title}" version ${record.report.version}`;
  }
}
