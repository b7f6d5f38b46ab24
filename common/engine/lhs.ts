import { philox4x32 } from './philox';
import { fillUniforms } from './rng';

/** LHS permutations use their own Philox streams, apart from every input's uniform stream. */
const PERMUTATION_STREAM = 0x80000000;

const permutationKey = (seed: number, stream: number) => [seed >>> 0, (PERMUTATION_STREAM | stream) >>> 0];

function identity(n: number): Uint32Array {
  const perm = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  return perm;
}

/** Fisher–Yates steps j = from down to above `to`: every step's swap is drawn from Philox at counter j. */
function shuffleSteps(perm: Uint32Array, key: number[], from: number, to: number): void {
  const counter = [0, 0, 0, 0];
  const block = new Uint32Array(4);
  for (let j = from; j > to; j--) {
    counter[0] = j >>> 0;
    counter[1] = Math.floor(j / 2 ** 32) >>> 0;
    philox4x32(counter, key, block);
    const u53 = (block[0]! * 2 ** 21 + (block[1]! >>> 11)) / 2 ** 53;
    const k = Math.floor(u53 * (j + 1));
    const t = perm[j]!;
    perm[j] = perm[k]!;
    perm[k] = t;
  }
}

/**
 * A random permutation of 0..n-1 (Fisher–Yates), drawn from Philox so every partition of a run
 * sees the same one. Indices use 53 random bits, so the bias is below 1e-9 even for 1e8 iterations.
 */
export function lhsPermutation(seed: number, stream: number, n: number): Uint32Array {
  const perm = identity(n);
  shuffleSteps(perm, permutationKey(seed, stream), n - 1, 0);
  return perm;
}

/**
 * The same permutation as lhsPermutation, drawn in slices of `slice` steps with `pause()` awaited
 * between them: on the page, a long run's permutations (a second or more for millions of
 * iterations) would otherwise hold it in one task. `pause` may throw to stop (a cancelled run).
 */
export async function lhsPermutationInSlices(
  seed: number,
  stream: number,
  n: number,
  pause: () => Promise<void>,
  slice = 1 << 15,
): Promise<Uint32Array> {
  const perm = identity(n);
  const key = permutationKey(seed, stream);
  for (let from = n - 1; from > 0; from -= slice) {
    shuffleSteps(perm, key, from, Math.max(0, from - slice));
    await pause();
  }
  return perm;
}

/**
 * Latin Hypercube uniforms for iterations [first, first + out.length) of a run of `total`:
 * iteration i falls in stratum perm[i] of `total` equal strata, at a Philox-random point inside it.
 */
export function fillLhsUniforms(
  seed: number,
  stream: number,
  perm: Uint32Array,
  first: number,
  out: Float64Array,
): Float64Array {
  fillUniforms(seed, stream, first, out);
  const total = perm.length;
  // Clamped: from about 1e7 iterations the top stratum's point rounds to exactly 1 in f64, where
  // inverse CDFs give Infinity.
  for (let k = 0; k < out.length; k++) out[k] = Math.min(1 - 2 ** -53, (perm[first + k]! + out[k]!) / total);
  return out;
}
