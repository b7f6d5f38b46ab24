import { betaI, gammaP, invert, logGamma } from './gamma-beta';
import { standardNormalQuantile } from './normal';
import { tabulateMiddle, tabulateQuantile } from './tabulate';
import { standardNormalCdf } from './special';
import { discreteTable, type StepTable } from './step-tables';

/**
 * Distributions with @RISK's parameterisations, each as a quantile function (inverse CDF) and a
 * CDF. Sampling by inverse CDF keeps one uniform per input per iteration, which is what Latin
 * Hypercube stratification and rank correlation need, and what the GPU kernel mirrors.
 */
export interface Continuous {
  quantile(u: number): number;
  cdf(x: number): number;
  /**
   * out[i] = quantile(u[i]) for a block. Each distribution writes its own loop so V8 inlines its
   * formula there; one shared loop calling `quantile` would be a megamorphic call per sample.
   */
  fill(u: Float64Array, out: Float64Array, length: number): void;
  /**
   * For distributions whose quantile is tabulated (beta, PERT, gamma, Student t): the exact,
   * iteratively solved quantile and the density, so another backend (the GPU) can build its own
   * table over the range and precision it needs.
   */
  exact?: { quantile: (u: number) => number; pdf: (x: number) => number };
  /** Discrete distributions only: P(X < x), which differs from cdf(x) = P(X ≤ x) at a support point. */
  cdfBelow?(x: number): number;
}

export type DistributionSpec =
  | { type: 'normal'; mean: number; sd: number }
  | { type: 'lognormal'; mean: number; sd: number }
  | { type: 'lognormal2'; mu: number; sigma: number }
  | { type: 'uniform'; min: number; max: number }
  | { type: 'triangular'; min: number; mode: number; max: number }
  | { type: 'exponential'; mean: number }
  | { type: 'weibull'; shape: number; scale: number }
  | { type: 'gamma'; shape: number; scale: number }
  | { type: 'beta'; alpha: number; beta: number; min?: number; max?: number }
  | { type: 'pert'; min: number; mode: number; max: number }
  | { type: 'student'; df: number }
  | { type: 'poisson'; lambda: number }
  | { type: 'binomial'; n: number; p: number }
  | { type: 'bernoulli'; p: number }
  | { type: 'discrete'; values: number[]; weights: number[] }
  | { type: 'cumulative'; points: [number, number][] };

export type Modifiers = { truncate?: [number, number]; shift?: number };

/** The fill of a distribution that is not worth a loop of its own (discrete ones, rarely hot). */
function fillBy(quantile: (u: number) => number): Continuous['fill'] {
  return (u, out, length) => {
    for (let i = 0; i < length; i++) out[i] = quantile(u[i]!);
  };
}

function normal(mean: number, sd: number): Continuous {
  return {
    quantile: (u) => mean + sd * standardNormalQuantile(u),
    cdf: (x) => standardNormalCdf((x - mean) / sd),
    fill: (u, out, length) => {
      for (let i = 0; i < length; i++) out[i] = mean + sd * standardNormalQuantile(u[i]!);
    },
  };
}

function lognormalFromLog(mu: number, sigma: number): Continuous {
  const exact = (u: number) => Math.exp(mu + sigma * standardNormalQuantile(u));
  const pdf = (x: number) => Math.exp(-0.5 * ((Math.log(x) - mu) / sigma) ** 2) / (x * sigma * Math.sqrt(2 * Math.PI));
  // exp per draw is the lognormal's cost; the middle table replaces it (within 1e-8 relative, the size of Acklam's own error).
  return {
    ...tabulateMiddle(exact, pdf, `lognormal ${mu} ${sigma}`),
    cdf: (x) => (x <= 0 ? 0 : standardNormalCdf((Math.log(x) - mu) / sigma)),
  };
}

/** How many of the sorted support points lie at or below x (or strictly below it). */
function pointsUpTo(values: Float64Array, x: number, inclusive: boolean): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < x || (inclusive && values[mid] === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A discrete distribution from its step table: the smallest support point whose CDF reaches u,
 * the upper half searched by the complement (1 − u against 1 − CDF), exactly as the GPU kernel's
 * q_step searches its f32 copy of the table.
 */
function stepDistribution(table: StepTable): Continuous {
  const { values, cdf, survival } = table;
  const last = values.length - 1;
  const quantile = (u: number) => {
    let lo = 0;
    let hi = last;
    if (u <= 0.5) {
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cdf[mid]! >= u) hi = mid;
        else lo = mid + 1;
      }
    } else {
      const c = 1 - u;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (survival[mid]! <= c) hi = mid;
        else lo = mid + 1;
      }
    }
    return values[lo]!;
  };
  return {
    quantile,
    // The CDF at x: that of the last support point at or below x (below x, for cdfBelow).
    cdf: (x) => {
      const at = pointsUpTo(values, x, true);
      return at === 0 ? 0 : cdf[at - 1]!;
    },
    cdfBelow: (x) => {
      const at = pointsUpTo(values, x, false);
      return at === 0 ? 0 : cdf[at - 1]!;
    },
    fill: fillBy(quantile),
  };
}

function gamma(shape: number, scale: number): Continuous {
  const logNorm = logGamma(shape) + shape * Math.log(scale);
  const pdf = (x: number) => (x <= 0 ? 0 : Math.exp((shape - 1) * Math.log(x) - x / scale - logNorm));
  const cdf = (x: number) => gammaP(shape, x / scale);
  const exact = (u: number, guess?: number) => {
    // Wilson–Hilferty starting point (unless a nearby answer is known), then safeguarded Newton.
    const z = standardNormalQuantile(u);
    const wh = shape * (1 - 1 / (9 * shape) + z / (3 * Math.sqrt(shape))) ** 3;
    return invert(cdf, pdf, u, 0, Number.POSITIVE_INFINITY, guess ?? (wh > 0 ? wh * scale : shape * scale * u));
  };
  return { cdf, ...tabulateQuantile(exact, pdf, `gamma ${shape} ${scale}`), exact: { quantile: exact, pdf } };
}

function beta(a: number, b: number, min: number, max: number): Continuous {
  const logB = logGamma(a) + logGamma(b) - logGamma(a + b);
  const pdf01 = (y: number) =>
    y <= 0 || y >= 1 ? 0 : Math.exp((a - 1) * Math.log(y) + (b - 1) * Math.log1p(-y) - logB);
  const cdf01 = (y: number) => betaI(a, b, y);
  const width = max - min;
  const exact = (u: number, guess?: number) =>
    min + width * invert(cdf01, pdf01, u, 0, 1, guess === undefined ? a / (a + b) : (guess - min) / width);
  const pdf = (x: number) => pdf01((x - min) / width) / width;
  return {
    cdf: (x) => cdf01((x - min) / width),
    ...tabulateQuantile(exact, pdf, `beta ${a} ${b} ${min} ${max}`),
    exact: { quantile: exact, pdf },
  };
}

export function makeDistribution(spec: DistributionSpec): Continuous {
  switch (spec.type) {
    case 'gamma':
      return gamma(spec.shape, spec.scale);
    case 'beta':
      return beta(spec.alpha, spec.beta, spec.min ?? 0, spec.max ?? 1);
    case 'pert': {
      // @RISK's RiskPert: a beta on [min, max] with shape 4 (the classic PERT weights).
      const range = spec.max - spec.min;
      return beta(
        1 + (4 * (spec.mode - spec.min)) / range,
        1 + (4 * (spec.max - spec.mode)) / range,
        spec.min,
        spec.max,
      );
    }
    case 'student': {
      const v = spec.df;
      const cdf = (t: number) => {
        const tail = 0.5 * betaI(v / 2, 0.5, v / (v + t * t));
        return t > 0 ? 1 - tail : tail;
      };
      const logNorm = logGamma((v + 1) / 2) - logGamma(v / 2) - 0.5 * Math.log(v * Math.PI);
      const pdf = (t: number) => Math.exp(logNorm - ((v + 1) / 2) * Math.log1p((t * t) / v));
      const exact = (u: number, guess?: number) =>
        invert(cdf, pdf, u, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, guess ?? standardNormalQuantile(u));
      return { cdf, ...tabulateQuantile(exact, pdf, `student ${v}`), exact: { quantile: exact, pdf } };
    }
    case 'poisson':
    case 'binomial':
      return stepDistribution(discreteTable(spec));
    case 'normal':
      return normal(spec.mean, spec.sd);
    case 'lognormal': {
      // @RISK's RiskLognorm(mean, sd): the distribution's own mean and standard deviation.
      const sigma2 = Math.log(1 + (spec.sd * spec.sd) / (spec.mean * spec.mean));
      return lognormalFromLog(Math.log(spec.mean) - sigma2 / 2, Math.sqrt(sigma2));
    }
    case 'lognormal2':
      return lognormalFromLog(spec.mu, spec.sigma);
    case 'uniform': {
      const { min, max } = spec;
      const width = max - min;
      return {
        quantile: (u) => min + width * u,
        cdf: (x) => Math.min(1, Math.max(0, (x - min) / width)),
        fill: (u, out, length) => {
          for (let i = 0; i < length; i++) out[i] = min + width * u[i]!;
        },
      };
    }
    case 'triangular': {
      const { min: a, mode: c, max: b } = spec;
      const fc = (c - a) / (b - a);
      const left = (b - a) * (c - a);
      const right = (b - a) * (b - c);
      return {
        quantile: (u) => (u < fc ? a + Math.sqrt(u * left) : b - Math.sqrt((1 - u) * right)),
        fill: (u, out, length) => {
          for (let i = 0; i < length; i++) {
            const v = u[i]!;
            out[i] = v < fc ? a + Math.sqrt(v * left) : b - Math.sqrt((1 - v) * right);
          }
        },
        cdf: (x) =>
          x <= a
            ? 0
            : x >= b
              ? 1
              : x <= c
                ? ((x - a) * (x - a)) / ((b - a) * (c - a))
                : 1 - ((b - x) * (b - x)) / ((b - a) * (b - c)),
      };
    }
    case 'exponential': {
      const mean = spec.mean;
      return {
        quantile: (u) => -mean * Math.log1p(-u),
        cdf: (x) => (x <= 0 ? 0 : -Math.expm1(-x / mean)),
        fill: (u, out, length) => {
          for (let i = 0; i < length; i++) out[i] = -mean * Math.log1p(-u[i]!);
        },
      };
    }
    case 'weibull': {
      const { shape: k, scale: l } = spec;
      const quantile = (u: number) => l * (-Math.log1p(-u)) ** (1 / k);
      return { quantile, cdf: (x) => (x <= 0 ? 0 : -Math.expm1(-((x / l) ** k))), fill: fillBy(quantile) };
    }
    case 'bernoulli':
    case 'discrete':
      return stepDistribution(discreteTable(spec));
    case 'cumulative': {
      const points = spec.points;
      const quantile = (u: number) => {
        let i = 1;
        while (i < points.length - 1 && points[i]![1] < u) i++;
        const [x0, p0] = points[i - 1]!;
        const [x1, p1] = points[i]!;
        return p1 === p0 ? x1 : x0 + ((u - p0) / (p1 - p0)) * (x1 - x0);
      };
      return {
        quantile,
        fill: fillBy(quantile),
        cdf: (x) => {
          if (x <= points[0]![0]) return 0;
          for (let i = 1; i < points.length; i++) {
            const [x0, p0] = points[i - 1]!;
            const [x1, p1] = points[i]!;
            if (x <= x1) return p0 + ((x - x0) / (x1 - x0)) * (p1 - p0);
          }
          return 1;
        },
      };
    }
  }
}

/**
 * Where truncation to [lo, hi] maps the uniform: [P(X < lo), P(X ≤ hi)], so both bounds are kept
 * (for a continuous distribution P(X < lo) is F(lo); for a discrete one it leaves lo's own step
 * in). The GPU's layout takes the same bounds.
 */
export function truncationBounds(base: Continuous, lo: number, hi: number): { flo: number; fhi: number } {
  return { flo: base.cdfBelow ? base.cdfBelow(lo) : base.cdf(lo), fhi: base.cdf(hi) };
}

/** Truncation to [lo, hi] maps the uniform into truncationBounds; shift moves the result. */
export function withModifiers(base: Continuous, modifiers: Modifiers): Continuous {
  const shift = modifiers.shift ?? 0;
  if (!modifiers.truncate) {
    if (shift === 0) return base;
    return {
      quantile: (u) => base.quantile(u) + shift,
      cdf: (x) => base.cdf(x - shift),
      fill: (u, out, length) => {
        base.fill(u, out, length);
        for (let i = 0; i < length; i++) out[i] = out[i]! + shift;
      },
    };
  }
  const [lo, hi] = modifiers.truncate;
  const { flo, fhi } = truncationBounds(base, lo, hi);
  const span = fhi - flo;
  let scratch = new Float64Array(0);
  return {
    quantile: (u) => Math.min(hi, Math.max(lo, base.quantile(flo + u * span))) + shift,
    cdf: (x) => Math.min(1, Math.max(0, (base.cdf(x - shift) - flo) / span)),
    fill: (u, out, length) => {
      if (scratch.length < length) scratch = new Float64Array(length);
      for (let i = 0; i < length; i++) scratch[i] = flo + u[i]! * span;
      base.fill(scratch, out, length);
      for (let i = 0; i < length; i++) out[i] = Math.min(hi, Math.max(lo, out[i]!)) + shift;
    },
  };
}
