import { makeDistribution, truncationBounds, type DistributionSpec, type Modifiers } from './catalog';
import { betaI, gammaP, invert, logGamma } from './gamma-beta';
import { standardNormalQuantile } from './normal';
import { discreteTable } from './step-tables';

/**
 * What the model editor shows of an input's distribution as its parameters change: the density
 * (or the probabilities of a discrete one), the CDF, the mean, the standard deviation and the
 * percentiles, all of the distribution the engine samples (truncation and shift applied). Built
 * without the engine's quantile tables (60–90 ms each for beta, PERT, gamma and Student t), so
 * every keystroke previews at once: a few exact quantiles by Newton's method instead.
 */
export interface DistributionPreview {
  discrete: boolean;
  /** NaN where the distribution has none (Student t with df ≤ 1 has no mean). */
  mean: number;
  sd: number;
  percentiles: { p: number; x: number }[];
  /** The density at evenly spaced x (continuous), or each support point's probability (discrete). */
  density: [x: number, y: number][];
  cdf: [x: number, p: number][];
  /** The x range the curves cover. */
  range: [number, number];
}

/** The percentiles the editor lists. */
export const PREVIEW_PERCENTILES = [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99];

interface Exact {
  cdf(x: number): number;
  quantile(u: number): number;
  /** Continuous: the density. */
  pdf?(x: number): number;
  /** Discrete: support points and their probabilities. */
  points?: { values: Float64Array; probabilities: Float64Array };
  /** Mean and variance of the untruncated, unshifted distribution. */
  mean: number;
  variance: number;
}

function gammaExact(shape: number, scale: number): Exact {
  const logNorm = logGamma(shape) + shape * Math.log(scale);
  const pdf = (x: number) => (x <= 0 ? 0 : Math.exp((shape - 1) * Math.log(x) - x / scale - logNorm));
  const cdf = (x: number) => (x <= 0 ? 0 : gammaP(shape, x / scale));
  const quantile = (u: number) => {
    if (u <= 0) return 0;
    if (u >= 1) return Number.POSITIVE_INFINITY;
    const z = standardNormalQuantile(u);
    const wh = shape * (1 - 1 / (9 * shape) + z / (3 * Math.sqrt(shape))) ** 3;
    return invert(cdf, pdf, u, 0, Number.POSITIVE_INFINITY, wh > 0 ? wh * scale : shape * scale * u);
  };
  return { cdf, pdf, quantile, mean: shape * scale, variance: shape * scale * scale };
}

function betaExact(a: number, b: number, min: number, max: number): Exact {
  const width = max - min;
  const logB = logGamma(a) + logGamma(b) - logGamma(a + b);
  const pdf = (x: number) => {
    const y = (x - min) / width;
    return y <= 0 || y >= 1 ? 0 : Math.exp((a - 1) * Math.log(y) + (b - 1) * Math.log1p(-y) - logB) / width;
  };
  const cdf01 = (y: number) => (y <= 0 ? 0 : y >= 1 ? 1 : betaI(a, b, y));
  const pdf01 = (y: number) => pdf(min + y * width) * width;
  const quantile = (u: number) =>
    u <= 0 ? min : u >= 1 ? max : min + width * invert(cdf01, pdf01, u, 0, 1, a / (a + b));
  return {
    cdf: (x) => cdf01((x - min) / width),
    pdf,
    quantile,
    mean: min + (width * a) / (a + b),
    variance: (width * width * a * b) / ((a + b) ** 2 * (a + b + 1)),
  };
}

function studentExact(v: number): Exact {
  const cdf = (t: number) => {
    const tail = 0.5 * betaI(v / 2, 0.5, v / (v + t * t));
    return t > 0 ? 1 - tail : tail;
  };
  const logNorm = logGamma((v + 1) / 2) - logGamma(v / 2) - 0.5 * Math.log(v * Math.PI);
  const pdf = (t: number) => Math.exp(logNorm - ((v + 1) / 2) * Math.log1p((t * t) / v));
  const quantile = (u: number) =>
    u <= 0
      ? Number.NEGATIVE_INFINITY
      : u >= 1
        ? Number.POSITIVE_INFINITY
        : invert(cdf, pdf, u, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, standardNormalQuantile(u));
  return {
    cdf,
    pdf,
    quantile,
    mean: v > 1 ? 0 : Number.NaN,
    variance: v > 2 ? v / (v - 2) : v > 1 ? Number.POSITIVE_INFINITY : Number.NaN,
  };
}

const SQRT_2PI = Math.sqrt(2 * Math.PI);

function lognormalPdf(mu: number, sigma: number) {
  return (x: number) => (x <= 0 ? 0 : Math.exp(-0.5 * ((Math.log(x) - mu) / sigma) ** 2) / (x * sigma * SQRT_2PI));
}

/** The parts the preview needs of one distribution, with its moments in closed form. */
function exactOf(spec: DistributionSpec): Exact {
  switch (spec.type) {
    case 'gamma':
      return gammaExact(spec.shape, spec.scale);
    case 'beta':
      return betaExact(spec.alpha, spec.beta, spec.min ?? 0, spec.max ?? 1);
    case 'pert': {
      const range = spec.max - spec.min;
      return betaExact(
        1 + (4 * (spec.mode - spec.min)) / range,
        1 + (4 * (spec.max - spec.mode)) / range,
        spec.min,
        spec.max,
      );
    }
    case 'student':
      return studentExact(spec.df);
    case 'poisson':
    case 'binomial':
    case 'bernoulli':
    case 'discrete': {
      const table = discreteTable(spec);
      const probabilities = table.cdf.map((c, i) => (i === 0 ? c : c - table.cdf[i - 1]!));
      let mean = 0;
      for (let i = 0; i < table.values.length; i++) mean += table.values[i]! * probabilities[i]!;
      let variance = 0;
      for (let i = 0; i < table.values.length; i++) variance += probabilities[i]! * (table.values[i]! - mean) ** 2;
      const base = makeDistribution(spec);
      return { ...base, quantile: base.quantile, points: { values: table.values, probabilities }, mean, variance };
    }
    default:
      return continuousExact(spec);
  }
}

function continuousExact(
  spec: Exclude<
    DistributionSpec,
    { type: 'gamma' | 'beta' | 'pert' | 'student' | 'poisson' | 'binomial' | 'bernoulli' | 'discrete' }
  >,
): Exact {
  const base = makeDistribution(spec);
  const parts = { cdf: base.cdf, quantile: base.quantile };
  switch (spec.type) {
    case 'normal': {
      const { mean, sd } = spec;
      return {
        ...parts,
        pdf: (x) => Math.exp(-0.5 * ((x - mean) / sd) ** 2) / (sd * SQRT_2PI),
        mean,
        variance: sd * sd,
      };
    }
    case 'lognormal': {
      const sigma2 = Math.log(1 + (spec.sd * spec.sd) / (spec.mean * spec.mean));
      return {
        ...parts,
        pdf: lognormalPdf(Math.log(spec.mean) - sigma2 / 2, Math.sqrt(sigma2)),
        mean: spec.mean,
        variance: spec.sd * spec.sd,
      };
    }
    case 'lognormal2': {
      const { mu, sigma } = spec;
      const s2 = sigma * sigma;
      return {
        ...parts,
        pdf: lognormalPdf(mu, sigma),
        mean: Math.exp(mu + s2 / 2),
        variance: Math.expm1(s2) * Math.exp(2 * mu + s2),
      };
    }
    case 'uniform': {
      const { min, max } = spec;
      return {
        ...parts,
        pdf: (x) => (x < min || x > max ? 0 : 1 / (max - min)),
        mean: (min + max) / 2,
        variance: (max - min) ** 2 / 12,
      };
    }
    case 'triangular': {
      const { min: a, mode: c, max: b } = spec;
      return {
        ...parts,
        pdf: (x) =>
          x < a || x > b
            ? 0
            : x < c
              ? (2 * (x - a)) / ((b - a) * (c - a))
              : x === c
                ? 2 / (b - a)
                : (2 * (b - x)) / ((b - a) * (b - c)),
        mean: (a + b + c) / 3,
        variance: (a * a + b * b + c * c - a * b - a * c - b * c) / 18,
      };
    }
    case 'exponential': {
      const m = spec.mean;
      return { ...parts, pdf: (x) => (x < 0 ? 0 : Math.exp(-x / m) / m), mean: m, variance: m * m };
    }
    case 'weibull': {
      const { shape: k, scale: l } = spec;
      const g1 = Math.exp(logGamma(1 + 1 / k));
      const g2 = Math.exp(logGamma(1 + 2 / k));
      return {
        ...parts,
        pdf: (x) => (x < 0 ? 0 : (k / l) * (x / l) ** (k - 1) * Math.exp(-((x / l) ** k))),
        mean: l * g1,
        variance: l * l * (g2 - g1 * g1),
      };
    }
    case 'cumulative': {
      const points = spec.points;
      let mean = 0;
      let second = 0;
      for (let i = 1; i < points.length; i++) {
        const [x0, p0] = points[i - 1]!;
        const [x1, p1] = points[i]!;
        mean += ((p1 - p0) * (x0 + x1)) / 2;
        second += ((p1 - p0) * (x0 * x0 + x0 * x1 + x1 * x1)) / 3;
      }
      return {
        ...parts,
        pdf: (x) => {
          for (let i = 1; i < points.length; i++) {
            const [x0, p0] = points[i - 1]!;
            const [x1, p1] = points[i]!;
            if (x >= x0 && x <= x1) return (p1 - p0) / (x1 - x0);
          }
          return 0;
        },
        mean,
        variance: Math.max(0, second - mean * mean),
      };
    }
  }
}

/**
 * Mean and variance of a truncated distribution: (1/span)∫ Q(u) du over [flo, fhi], by the
 * midpoint rule on a cosine-clustered grid, so the ends (where a quantile runs off to infinity
 * or a density spikes) are covered as finely as the middle.
 */
function truncatedMoments(quantile: (u: number) => number, flo: number, fhi: number, lo: number, hi: number) {
  const steps = 2000;
  let mass = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < steps; i++) {
    const t = (i + 0.5) / steps;
    const s = (1 - Math.cos(Math.PI * t)) / 2;
    const weight = (Math.PI / 2) * Math.sin(Math.PI * t);
    const x = Math.min(hi, Math.max(lo, quantile(flo + s * (fhi - flo))));
    mass += weight;
    sum += weight * x;
    sumSquares += weight * x * x;
  }
  const mean = sum / mass;
  return { mean, variance: Math.max(0, sumSquares / mass - mean * mean) };
}

const CURVE_POINTS = 200;
/** A Poisson of λ = 10^7 has tens of thousands of support points: past this many, bars are grouped. */
const MAX_BARS = 400;

/** Support points grouped into MAX_BARS / 2 equal ranges, each bar the probability of its range, at its middle. */
function binned(points: [number, number][], first: number, last: number): [number, number][] {
  const bins = MAX_BARS / 2;
  const width = (last - first) / bins || 1;
  const mass = new Float64Array(bins);
  for (const [x, p] of points) mass[Math.min(bins - 1, Math.floor((x - first) / width))]! += p;
  return Array.from(mass, (p, i) => [first + (i + 0.5) * width, p] as [number, number]).filter(([, p]) => p > 0);
}

/** The preview of a distribution whose parameters the model schema has accepted. */
export function previewDistribution(spec: DistributionSpec, modifiers: Modifiers = {}): DistributionPreview {
  const exact = exactOf(spec);
  const shift = modifiers.shift ?? 0;
  const [lo, hi] = modifiers.truncate ?? [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  const { flo, fhi } = modifiers.truncate
    ? truncationBounds(
        { ...exact, fill: () => undefined, ...(exact.points ? { cdfBelow: cdfBelowOf(exact.points) } : {}) },
        lo,
        hi,
      )
    : { flo: 0, fhi: 1 };
  const span = fhi - flo;
  if (!(span > 0)) throw new RangeError('the truncation range holds none of the distribution');
  const quantile = (u: number) => Math.min(hi, Math.max(lo, exact.quantile(flo + u * span))) + shift;
  const cdf = (x: number) => Math.min(1, Math.max(0, (exact.cdf(x - shift) - flo) / span));

  const moments = modifiers.truncate
    ? truncatedMoments(exact.quantile, flo, fhi, lo, hi)
    : { mean: exact.mean, variance: exact.variance };
  const percentiles = PREVIEW_PERCENTILES.map((p) => ({ p, x: quantile(p) }));

  if (exact.points) {
    const density: [number, number][] = [];
    const curve: [number, number][] = [];
    let running = 0;
    const { values, probabilities } = exact.points;
    for (let i = 0; i < values.length; i++) {
      const x = values[i]!;
      if (x < lo || x > hi || probabilities[i]! <= 1e-12) continue;
      const p = probabilities[i]! / span;
      density.push([x + shift, p]);
      running += p;
      curve.push([x + shift, Math.min(1, running)]);
    }
    const first = density[0]?.[0] ?? shift;
    const last = density[density.length - 1]?.[0] ?? shift;
    return {
      discrete: true,
      mean: moments.mean + shift,
      sd: Math.sqrt(moments.variance),
      percentiles,
      density: density.length > MAX_BARS ? binned(density, first, last) : density,
      cdf:
        curve.length > MAX_BARS
          ? curve.filter((_, i) => i % Math.ceil(curve.length / MAX_BARS) === 0 || i === curve.length - 1)
          : curve,
      range: [first, last],
    };
  }

  const start = Number.isFinite(quantile(0)) ? quantile(0) : quantile(0.001);
  const end = Number.isFinite(quantile(1)) ? quantile(1) : quantile(0.999);
  const pad = end > start ? 0.04 * (end - start) : 1;
  const range: [number, number] = [start - pad, end + pad];
  const density: [number, number][] = [];
  const curve: [number, number][] = [];
  for (let i = 0; i <= CURVE_POINTS; i++) {
    const x = range[0] + ((range[1] - range[0]) * i) / CURVE_POINTS;
    const inside = x - shift >= lo && x - shift <= hi;
    const y = inside ? exact.pdf!(x - shift) / span : 0;
    density.push([x, Number.isFinite(y) ? y : 0]);
    curve.push([x, cdf(x)]);
  }
  return {
    discrete: false,
    mean: moments.mean + shift,
    sd: Math.sqrt(moments.variance),
    percentiles,
    density,
    cdf: curve,
    range,
  };
}

/** P(X < x) of a discrete distribution from its support points. */
function cdfBelowOf(points: { values: Float64Array; probabilities: Float64Array }) {
  return (x: number) => {
    let total = 0;
    for (let i = 0; i < points.values.length && points.values[i]! < x; i++) total += points.probabilities[i]!;
    return total;
  };
}
