/**
 * Moments of every output reduced on the GPU, chunk by chunk (moments.wgsl): finite count, sum,
 * sum of squares, mean, sum of squared deviations, min and max. Exact percentiles still need every
 * value read back; these give the run screen a running mean and spread without another pass, and
 * merge exactly like the partials they come from (Chan et al.'s pairwise update, in f64).
 */
import { defineProgram } from '../program';
import momentsSource from './moments.wgsl?raw';

export const MOMENT_WORKGROUP_SIZE = 256;
/** Values per workgroup (MOMENT_ITEMS in moments.wgsl times the workgroup size). */
export const MOMENT_SEGMENT = 16 * MOMENT_WORKGROUP_SIZE;
/** f32 words per partial: n, mean, m2, min, max. */
export const MOMENT_WORDS = 5;

export const outputMomentsProgram = defineProgram({
  label: 'output moments',
  sources: [momentsSource],
  entryPoint: 'output_moments',
  workgroupSize: MOMENT_WORKGROUP_SIZE,
});

export interface OutputMoments {
  /** Finite values (non-finite ones are left out, as summarize leaves them out). */
  count: number;
  sum: number;
  sumOfSquares: number;
  mean: number;
  /** Sum of squared deviations from the mean. */
  m2: number;
  /** NaN while count is 0. */
  min: number;
  max: number;
}

export function emptyMoments(): OutputMoments {
  return { count: 0, sum: 0, sumOfSquares: 0, mean: 0, m2: 0, min: Number.NaN, max: Number.NaN };
}

function moments(count: number, mean: number, m2: number, min: number, max: number): OutputMoments {
  return { count, sum: count * mean, sumOfSquares: m2 + count * mean * mean, mean, m2, min, max };
}

/** Two sets of moments as one (Chan, Golub and LeVeque's pairwise update). */
export function mergeMoments(a: OutputMoments, b: OutputMoments): OutputMoments {
  if (b.count === 0) return a;
  if (a.count === 0) return b;
  const n = a.count + b.count;
  const delta = b.mean - a.mean;
  return moments(
    n,
    a.mean + (delta * b.count) / n,
    a.m2 + b.m2 + (delta * delta * a.count * b.count) / n,
    Math.min(a.min, b.min),
    Math.max(a.max, b.max),
  );
}

/** Sample variance (n - 1), as summarize reports sd. */
export function varianceOf(m: OutputMoments): number {
  return m.count > 1 ? m.m2 / (m.count - 1) : 0;
}

/** The workgroups of one output's reduction for a chunk of `count` values. */
export function momentGroups(count: number): number {
  return Math.max(1, Math.ceil(count / MOMENT_SEGMENT));
}

/** Merges one output's GPU partials (MOMENT_WORDS f32 each) in f64. */
export function momentsFromPartials(partials: Float32Array, output: number, groups: number): OutputMoments {
  let total = emptyMoments();
  for (let g = 0; g < groups; g++) {
    const at = (output * groups + g) * MOMENT_WORDS;
    const n = partials[at]!;
    if (n > 0)
      total = mergeMoments(
        total,
        moments(n, partials[at + 1]!, partials[at + 2]!, partials[at + 3]!, partials[at + 4]!),
      );
  }
  return total;
}
