import { z } from 'zod';
import { When, type ChannelGroup } from '../channel';
import { MarkingCheckSchema } from './markings';

const ModelId = z.number().int().positive();
const VersionNo = z.number().int().positive();
const RunId = z.number().int().positive();
const Name = z.string().max(200);
const Seed = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const Sampling = z.enum(['mc', 'lhs']);
/** A statistic; null where it is undefined (an output with no finite values): JSON has no NaN. */
const Num = z.number().nullable();
const Nums = (max: number) => z.array(Num).max(max);

/**
 * Raw samples travel in pages: each page is one independent deflate (zlib) stream of at most
 * SAMPLE_PAGE_RAW_BYTES of byte-shuffled float64 values (docs/runs.md, "Samples"), in base64.
 */
export const SAMPLE_PAGE_RAW_BYTES = 4 * 1024 * 1024;
/** A page's compressed bytes: deflate never grows data by more than a few bytes per 16 KiB block. */
export const SAMPLE_PAGE_MAX_BYTES = SAMPLE_PAGE_RAW_BYTES + 64 * 1024;
/** The most iterations a saved run keeps of each input and output (the cap the run screen states). */
export const MAX_KEPT_ITERATIONS = 1_000_000;
/** The most values (iterations × inputs and outputs) a saved run keeps: 128 MiB of float64 before compression. */
export const MAX_KEPT_VALUES = 16 * 1024 * 1024;
const MAX_PAGES = Math.ceil((MAX_KEPT_VALUES * 8) / SAMPLE_PAGE_RAW_BYTES);
/** Characters of base64 in one piece of a page (a multiple of 4, so the pieces join into the page's base64). */
export const BASE64_PIECE_CHARS = 64 * 1024;
/** A page as base64 in pieces: no single string of megabytes in a request. */
const Base64Page = z
  .array(
    z
      .string()
      .max(BASE64_PIECE_CHARS)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64'),
  )
  .min(1)
  .max(Math.ceil((Math.ceil(SAMPLE_PAGE_MAX_BYTES / 3) * 4) / BASE64_PIECE_CHARS));

/** Which kept model version a run is of. */
const ModelVersionRef = z.object({ id: ModelId, version: VersionNo }).strict();

export const OutputStatisticsSchema = z
  .object({
    count: z.number().int().nonnegative(),
    nonFinite: z.number().int().nonnegative(),
    mean: Num,
    sd: Num,
    min: Num,
    max: Num,
    skewness: Num,
    kurtosis: Num,
    percentiles: z
      .object({ p1: Num, p5: Num, p10: Num, p25: Num, p50: Num, p75: Num, p90: Num, p95: Num, p99: Num })
      .strict(),
    ci95: z.tuple([Num, Num]),
    histogram: z.object({ edges: Nums(1001), counts: Nums(1000) }).strict(),
    cdf: z.array(z.object({ p: Num, x: Num }).strict()).max(1001),
  })
  .strict();

export const OutputSensitivitySchema = z
  .object({
    inputs: z
      .array(z.object({ input: Name, rankCorrelation: Num, src: Num, contributionToVariance: Num }).strict())
      .max(2000),
    rSquared: Num,
    iterations: z.number().int().nonnegative(),
  })
  .strict();

/** Mean and percentiles of an output over its first `n` iterations, at growing n. */
export const ConvergenceTraceSchema = z
  .object({ n: Nums(200), mean: Nums(200), p5: Nums(200), p50: Nums(200), p95: Nums(200) })
  .strict();

export const RunResultsSchema = z
  .object({
    outputs: z.record(Name, OutputStatisticsSchema),
    sensitivity: z.record(Name, OutputSensitivitySchema),
    trace: z.record(Name, ConvergenceTraceSchema),
  })
  .strict();

/** Auto-stop, when it was on: the tolerance and the most iterations it could run. */
export const RunSettingsSchema = z
  .object({
    autoStop: z
      .object({ tolerance: z.number().positive().max(1), maxIterations: z.number().int().positive() })
      .strict()
      .nullable(),
    engineChoice: z.enum(['auto', 'webgpu', 'cpu']),
  })
  .strict();

/** The layout of a run's kept samples: `iterations` values of each input, then each output, in these orders. */
export const SamplesLayoutSchema = z
  .object({
    iterations: z.number().int().positive().max(MAX_KEPT_ITERATIONS),
    inputs: z.array(Name).max(2000),
    outputs: z.array(Name).min(1).max(2000),
  })
  .strict();

export const SavedRunSummarySchema = z
  .object({
    id: RunId,
    model: z.object({ id: ModelId, version: VersionNo, name: Name }).strict(),
    name: Name,
    comment: z.string().max(2000),
    /** The run's marking: its model version's banner, set by the service. */
    banner: z.string().max(500),
    owner: z.object({ id: z.number().int(), name: Name }).strict(),
    seed: Seed,
    sampling: Sampling,
    engine: z.enum(['cpu', 'webgpu']),
    engineDescription: z.string().max(500),
    iterations: z.number().int().positive(),
    appVersion: z.string().max(100),
    settings: RunSettingsSchema,
    startedAt: When,
    finishedAt: When,
    savedAt: When,
    /** The kept samples' layout and stored size, or null when the run kept none. */
    samples: SamplesLayoutSchema.extend({ pages: z.number().int().nonnegative(), bytes: z.number().int() })
      .strict()
      .nullable(),
    /** Whether the caller may delete it: its owner, or the model's owner. */
    mayDelete: z.boolean(),
  })
  .strict();

const Saved = z.object({ run: SavedRunSummarySchema }).strict();
const ById = z.object({ id: RunId }).strict();

/** runs.*: simulations. The engine runs in the app's window; the service decides whether a run may start, and keeps saved runs (docs/runs.md). */
export const runsChannels = {
  /**
   * Asks to start a run of a model (docs/roles.md: running is an analyst's, `models.write`): the
   * service checks the role and the model's marking against the system high, and records the run
   * (`run.start`) with the signed-in user's name before the engine starts. For a model of the
   * library (`library`), the marking checked and recorded is the kept version's, read by the
   * service (the request's `marking` is then not trusted); for a file or an example, the request's.
   */
  authorize: {
    request: z
      .object({
        model: z.string().min(1).max(200),
        marking: z.string().min(1).max(500),
        iterations: z.number().int().min(1).max(100_000_000),
        seed: Seed,
        sampling: Sampling,
        library: ModelVersionRef.optional(),
      })
      .strict(),
    response: MarkingCheckSchema,
    requiresConsent: true,
    access: 'models.write',
  },
  /**
   * Keeps a finished run of a library model version. With `samples`, the run stays invisible
   * (and is discarded unless finished) until every page has arrived (`putSamples`) and
   * `completeSamples` checked them.
   */
  save: {
    request: z
      .object({
        model: ModelVersionRef,
        name: Name,
        comment: z.string().max(2000),
        seed: Seed,
        sampling: Sampling,
        engine: z.enum(['cpu', 'webgpu']),
        engineDescription: z.string().max(500),
        iterations: z.number().int().min(1).max(100_000_000),
        settings: RunSettingsSchema,
        results: RunResultsSchema,
        startedAt: When,
        finishedAt: When,
        /** What it keeps of its samples, or false for none. */
        samples: z.union([SamplesLayoutSchema, z.literal(false)]),
      })
      .strict(),
    response: z.object({ run: SavedRunSummarySchema, pages: z.number().int().nonnegative() }).strict(),
    requiresConsent: true,
    access: 'models.write',
    maxRequestBytes: 4 * 1024 * 1024,
  },
  /** One page of a run's samples, in order from 0, while the run is being saved. */
  putSamples: {
    request: z.object({ id: RunId, page: z.number().int().nonnegative().max(MAX_PAGES), data: Base64Page }).strict(),
    response: z.object({ received: z.number().int().nonnegative() }).strict(),
    requiresConsent: true,
    access: 'models.write',
    maxRequestBytes: Math.ceil(SAMPLE_PAGE_MAX_BYTES / 3) * 4 + 64 * 1024,
  },
  /** Every page arrived and checked: the run becomes visible (audited `run.save`). */
  completeSamples: { request: ById, response: Saved, requiresConsent: true, access: 'models.write' },
  /** The saved runs of a model (of all its versions) the caller may read, newest first. */
  list: {
    request: z.object({ model: ModelId }).strict(),
    response: z.object({ runs: z.array(SavedRunSummarySchema).max(100_000) }).strict(),
    requiresConsent: true,
    access: 'models.read',
  },
  /** A saved run with its results (no samples). */
  open: {
    request: ById,
    response: z.object({ run: SavedRunSummarySchema, results: RunResultsSchema }).strict(),
    requiresConsent: true,
    access: 'models.read',
  },
  /** One page of a saved run's samples. */
  samples: {
    request: z.object({ id: RunId, page: z.number().int().nonnegative().max(MAX_PAGES) }).strict(),
    response: z.object({ page: z.number().int(), pages: z.number().int(), data: Base64Page }).strict(),
    requiresConsent: true,
    access: 'models.read',
  },
  /** Deletes a saved run (its owner, or the model's owner), or discards one still being saved. */
  delete: {
    request: ById,
    response: z.object({ deleted: RunId }).strict(),
    requiresConsent: true,
    access: 'models.write',
  },
  /**
   * Puts an export of a run's samples (a CSV saved or copied) on the record before it leaves the
   * app: of a saved run (its kept marking), of a library model version, or of a model file (its
   * marking, checked against the system high). The answer is the marking the export carries.
   */
  recordExport: {
    request: z
      .object({
        model: z.string().min(1).max(200),
        marking: z.string().min(1).max(500),
        run: RunId.optional(),
        library: ModelVersionRef.optional(),
        rows: z.number().int().nonnegative().max(100_000_000),
        columns: z.number().int().positive().max(10_000),
        fileName: z.string().min(1).max(255),
      })
      .strict(),
    response: MarkingCheckSchema,
    requiresConsent: true,
    access: 'models.export',
  },
} as const satisfies ChannelGroup;

export type RunResults = z.infer<typeof RunResultsSchema>;
export type SavedRunSummary = z.infer<typeof SavedRunSummarySchema>;
