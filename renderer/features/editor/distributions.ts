import type { DistributionSpec } from '../../../common/engine/distributions/catalog';

/** A parameter of a distribution as the editor shows it: one number, or a list of numbers. */
export interface ParameterField {
  key: string;
  label: string;
  kind: 'number' | 'list' | 'points';
  optional?: boolean;
  hint?: string;
}

export interface GalleryEntry {
  type: DistributionSpec['type'];
  label: string;
  /** The @RISK function an analyst knows it by. */
  risk: string;
  discrete: boolean;
  fields: ParameterField[];
  /** What a new input of this type starts with. */
  example: DistributionSpec;
}

const n = (key: string, label: string, hint?: string): ParameterField => ({
  key,
  label,
  kind: 'number',
  ...(hint ? { hint } : {}),
});

/** Every distribution of the engine (common/engine/distributions/catalog.ts), in the gallery's order. */
export const GALLERY: GalleryEntry[] = [
  {
    type: 'normal',
    label: 'Normal',
    risk: 'RiskNormal',
    discrete: false,
    fields: [n('mean', 'Mean'), n('sd', 'Standard deviation', '> 0')],
    example: { type: 'normal', mean: 0, sd: 1 },
  },
  {
    type: 'lognormal',
    label: 'Lognormal',
    risk: 'RiskLognorm',
    discrete: false,
    fields: [n('mean', 'Mean', '> 0'), n('sd', 'Standard deviation', '> 0')],
    example: { type: 'lognormal', mean: 10, sd: 3 },
  },
  {
    type: 'lognormal2',
    label: 'Lognormal (of ln X)',
    risk: 'RiskLognorm2',
    discrete: false,
    fields: [n('mu', 'μ of ln X'), n('sigma', 'σ of ln X', '> 0')],
    example: { type: 'lognormal2', mu: 0, sigma: 0.5 },
  },
  {
    type: 'triangular',
    label: 'Triangular',
    risk: 'RiskTriang',
    discrete: false,
    fields: [n('min', 'Minimum'), n('mode', 'Most likely'), n('max', 'Maximum')],
    example: { type: 'triangular', min: 80, mode: 100, max: 140 },
  },
  {
    type: 'pert',
    label: 'PERT',
    risk: 'RiskPert',
    discrete: false,
    fields: [n('min', 'Minimum'), n('mode', 'Most likely'), n('max', 'Maximum')],
    example: { type: 'pert', min: 80, mode: 100, max: 140 },
  },
  {
    type: 'uniform',
    label: 'Uniform',
    risk: 'RiskUniform',
    discrete: false,
    fields: [n('min', 'Minimum'), n('max', 'Maximum')],
    example: { type: 'uniform', min: 0, max: 1 },
  },
  {
    type: 'beta',
    label: 'Beta',
    risk: 'RiskBeta / RiskBetaGeneral',
    discrete: false,
    fields: [
      n('alpha', 'α', '> 0'),
      n('beta', 'β', '> 0'),
      { key: 'min', label: 'Minimum', kind: 'number', optional: true, hint: 'default 0' },
      { key: 'max', label: 'Maximum', kind: 'number', optional: true, hint: 'default 1' },
    ],
    example: { type: 'beta', alpha: 2, beta: 5 },
  },
  {
    type: 'gamma',
    label: 'Gamma',
    risk: 'RiskGamma',
    discrete: false,
    fields: [n('shape', 'Shape', '> 0'), n('scale', 'Scale', '> 0')],
    example: { type: 'gamma', shape: 2, scale: 3 },
  },
  {
    type: 'weibull',
    label: 'Weibull',
    risk: 'RiskWeibull',
    discrete: false,
    fields: [n('shape', 'Shape', '> 0'), n('scale', 'Scale', '> 0')],
    example: { type: 'weibull', shape: 1.5, scale: 10 },
  },
  {
    type: 'exponential',
    label: 'Exponential',
    risk: 'RiskExpon',
    discrete: false,
    fields: [n('mean', 'Mean', '> 0')],
    example: { type: 'exponential', mean: 5 },
  },
  {
    type: 'student',
    label: 'Student t',
    risk: 'RiskStudent',
    discrete: false,
    fields: [n('df', 'Degrees of freedom', '> 0')],
    example: { type: 'student', df: 5 },
  },
  {
    type: 'cumulative',
    label: 'Cumulative',
    risk: 'RiskCumul',
    discrete: false,
    fields: [{ key: 'points', label: 'Points (value: probability)', kind: 'points', hint: 'e.g. 0: 0, 5: 0.4, 10: 1' }],
    example: {
      type: 'cumulative',
      points: [
        [0, 0],
        [5, 0.4],
        [10, 1],
      ],
    },
  },
  {
    type: 'poisson',
    label: 'Poisson',
    risk: 'RiskPoisson',
    discrete: true,
    fields: [n('lambda', 'λ (mean count)', '> 0')],
    example: { type: 'poisson', lambda: 4 },
  },
  {
    type: 'binomial',
    label: 'Binomial',
    risk: 'RiskBinomial',
    discrete: true,
    fields: [n('n', 'Trials (n)', 'whole number ≥ 1'), n('p', 'Probability (p)', '0 to 1')],
    example: { type: 'binomial', n: 10, p: 0.3 },
  },
  {
    type: 'bernoulli',
    label: 'Bernoulli',
    risk: 'RiskBernoulli',
    discrete: true,
    fields: [n('p', 'Probability of 1', '0 to 1')],
    example: { type: 'bernoulli', p: 0.2 },
  },
  {
    type: 'discrete',
    label: 'Discrete',
    risk: 'RiskDiscrete',
    discrete: true,
    fields: [
      { key: 'values', label: 'Values', kind: 'list', hint: 'comma-separated' },
      { key: 'weights', label: 'Weights', kind: 'list', hint: 'comma-separated, ≥ 0' },
    ],
    example: { type: 'discrete', values: [0, 4, 8], weights: [0.5, 0.3, 0.2] },
  },
];

export const galleryEntry = (type: DistributionSpec['type']) => GALLERY.find((g) => g.type === type)!;

/** A parameter's value as the field shows it. */
export function formatParameter(field: ParameterField, value: unknown): string {
  if (value === undefined) return '';
  if (field.kind === 'list') return (value as number[]).join(', ');
  if (field.kind === 'points') return (value as [number, number][]).map(([x, p]) => `${x}: ${p}`).join(', ');
  return String(value);
}

/**
 * A field's text read as its value, or the reason it cannot be: the number itself is checked by
 * the model schema (so "sd must be greater than 0" reads the same here as in a model file).
 */
export function readParameter(
  field: ParameterField,
  text: string,
): { ok: true; value: number | number[] | [number, number][] | undefined } | { ok: false; problem: string } {
  const trimmed = text.trim();
  if (trimmed === '') return field.optional ? { ok: true, value: undefined } : { ok: false, problem: 'enter a number' };
  const number = (part: string) => (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(part) ? Number(part) : Number.NaN);
  if (field.kind === 'number') {
    const value = number(trimmed);
    return Number.isFinite(value) ? { ok: true, value } : { ok: false, problem: `"${trimmed}" is not a number` };
  }
  const parts = trimmed.split(',').map((p) => p.trim());
  if (field.kind === 'list') {
    const values = parts.map(number);
    const bad = parts.find((_, i) => !Number.isFinite(values[i]!));
    return bad === undefined ? { ok: true, value: values } : { ok: false, problem: `"${bad}" is not a number` };
  }
  const points: [number, number][] = [];
  for (const part of parts) {
    const [x, p, ...rest] = part.split(':').map((s) => number(s.trim()));
    if (rest.length > 0 || !Number.isFinite(x) || !Number.isFinite(p))
      return { ok: false, problem: `"${part}" is not "value: probability"` };
    points.push([x!, p!]);
  }
  return { ok: true, value: points };
}
