import { z } from 'zod';

/**
 * The model file format `enclave-model/1` (docs/model-format.md). Parameters are checked here
 * with messages that name the input, so an analyst sees "cost: sd must be greater than 0".
 */
const name = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'names start with a letter or _ and use letters, digits and _ (at most 64)');
const finite = z.number().finite();
const positive = finite.gt(0, 'must be greater than 0');
/** A portion mark on one item (docs/models.md, "Markings"); absent, the item carries the model's marking. */
const portion = z.string().min(1).max(500).optional();
/** What an input or formula is measured in ("$k", "weeks"), and what it stands for: shown to analysts only. */
const unit = z.string().max(40).optional();
const about = z.string().max(2000).optional();

const Dist = z.discriminatedUnion('type', [
  z.object({ type: z.literal('normal'), mean: finite, sd: positive }).strict(),
  z.object({ type: z.literal('lognormal'), mean: positive, sd: positive }).strict(),
  z.object({ type: z.literal('lognormal2'), mu: finite, sigma: positive }).strict(),
  z
    .object({ type: z.literal('uniform'), min: finite, max: finite })
    .strict()
    .refine((d) => d.min < d.max, { message: 'min must be less than max' }),
  z
    .object({ type: z.literal('triangular'), min: finite, mode: finite, max: finite })
    .strict()
    .refine((d) => d.min <= d.mode && d.mode <= d.max && d.min < d.max, {
      message: 'needs min ≤ mode ≤ max and min < max',
    }),
  z
    .object({ type: z.literal('pert'), min: finite, mode: finite, max: finite })
    .strict()
    .refine((d) => d.min <= d.mode && d.mode <= d.max && d.min < d.max, {
      message: 'needs min ≤ mode ≤ max and min < max',
    }),
  z
    .object({
      type: z.literal('beta'),
      alpha: positive,
      beta: positive,
      min: finite.optional(),
      max: finite.optional(),
    })
    .strict()
    .refine((d) => (d.min ?? 0) < (d.max ?? 1), { message: 'min must be less than max' }),
  z.object({ type: z.literal('gamma'), shape: positive, scale: positive }).strict(),
  z.object({ type: z.literal('student'), df: positive }).strict(),
  z.object({ type: z.literal('poisson'), lambda: positive.max(1e7, 'lambda must be at most 10,000,000') }).strict(),
  z
    .object({
      type: z.literal('binomial'),
      n: z.number().int('n must be a whole number').min(1).max(1e9),
      p: finite.min(0, 'p must be between 0 and 1').max(1, 'p must be between 0 and 1'),
    })
    .strict(),
  z.object({ type: z.literal('exponential'), mean: positive }).strict(),
  z.object({ type: z.literal('weibull'), shape: positive, scale: positive }).strict(),
  z
    .object({
      type: z.literal('bernoulli'),
      p: finite.min(0, 'p must be between 0 and 1').max(1, 'p must be between 0 and 1'),
    })
    .strict(),
  z
    .object({
      type: z.literal('discrete'),
      values: z.array(finite).min(1).max(10_000),
      weights: z.array(finite.min(0, 'weights cannot be negative')).min(1).max(10_000),
    })
    .strict()
    .refine((d) => d.values.length === d.weights.length, { message: 'values and weights need the same length' })
    .refine((d) => d.weights.some((w) => w > 0), { message: 'at least one weight must be positive' }),
  z
    .object({
      type: z.literal('cumulative'),
      points: z
        .array(z.tuple([finite, finite]))
        .min(2)
        .max(10_000),
    })
    .strict()
    .refine((d) => d.points[0]![1] === 0 && d.points[d.points.length - 1]![1] === 1, {
      message: 'cumulative points start at probability 0 and end at 1',
    })
    .refine((d) => d.points.every((p, i) => i === 0 || (p[0] > d.points[i - 1]![0] && p[1] >= d.points[i - 1]![1])), {
      message: 'cumulative points need increasing values and non-decreasing probabilities',
    }),
]);

/** The most characters a model's formulas may hold together. */
export const MAX_FORMULA_CHARACTERS = 1_000_000;
const formulaCharacters = (formulas: readonly { expr: string }[]) =>
  formulas.reduce((sum, f) => sum + f.expr.length, 0);

export const InputSchema = z
  .object({
    name,
    dist: Dist,
    truncate: z
      .tuple([finite, finite])
      .refine(([lo, hi]) => lo < hi, { message: 'truncate needs [low, high] with low < high' })
      .optional(),
    shift: finite.optional(),
    unit,
    description: about,
    marking: portion,
  })
  .strict();

export const ModelSchema = z
  .object({
    format: z.literal('enclave-model/1'),
    name: z.string().trim().min(1).max(200),
    marking: z.string().min(1).max(500),
    description: z.string().max(10_000).optional(),
    inputs: z.array(InputSchema).min(1).max(1000),
    correlations: z
      .array(z.object({ a: name, b: name, rank: finite.min(-1).max(1), marking: portion }).strict())
      .max(10_000)
      .default([]),
    formulas: z
      .array(
        z.object({ name, expr: z.string().min(1).max(10_000), unit, description: about, marking: portion }).strict(),
      )
      .max(1000)
      // Each formula may be long, but not all of them: parsing and compiling ten million characters takes minutes.
      .refine((formulas) => formulaCharacters(formulas) <= MAX_FORMULA_CHARACTERS, {
        error: (issue) =>
          `the formulas hold ${formulaCharacters(issue.input as { expr: string }[]).toLocaleString('en-US')} characters in all; a model's formulas hold at most ${MAX_FORMULA_CHARACTERS.toLocaleString('en-US')}`,
      })
      .default([]),
    outputs: z.array(name).min(1).max(100),
    /** Portion marks of outputs, by output name (outputs are names, so their marks sit beside them). */
    outputMarkings: z.record(name, z.string().min(1).max(500)).optional(),
  })
  .strict();

export type Model = z.infer<typeof ModelSchema>;

/** A model file larger than this is refused before it is read: the format's own limits keep real models far below. */
export const MODEL_FILE_MAX_BYTES = 16 * 1024 * 1024;
export type ModelInput = z.infer<typeof InputSchema>;

/** Turns schema issues into lines that name the input or formula ("inputs.cost.dist.sd: must be greater than 0"). */
export function describeModelIssues(raw: unknown, error: z.ZodError): string[] {
  const inputs = (raw as { inputs?: { name?: unknown }[] } | null)?.inputs;
  return error.issues.map((issue) => {
    const path = issue.path.map((part, i) => {
      if (typeof part === 'number' && issue.path[i - 1] === 'inputs' && typeof inputs?.[part]?.name === 'string')
        return inputs[part]!.name as string;
      return String(part);
    });
    return `${path.join('.') || '(model)'}: ${issue.message}`;
  });
}
