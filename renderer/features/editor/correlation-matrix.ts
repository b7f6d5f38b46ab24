import { cholesky, nearestCorrelation, symmetricEigen } from '../../../common/engine/correlation';
import type { Model } from '../../../common/model/model';

export type Correlation = Model['correlations'][number];

/**
 * The correlation matrix editor's logic. The model keeps rank correlations as pairs; the editor
 * shows them as a symmetric matrix over the inputs. The engine (common/engine/correlation.ts)
 * turns a rank correlation ρ into the Gaussian copula's Pearson r = 2·sin(πρ/6) and needs that
 * matrix positive definite; the checks here are made on the same matrix, so what the editor calls
 * valid is what the engine runs unchanged.
 */
const toPearson = (rank: number) => 2 * Math.sin((Math.PI * rank) / 6);
const toRank = (pearson: number) => (6 / Math.PI) * Math.asin(Math.max(-1, Math.min(1, pearson)) / 2);

const samePair = (c: Correlation, a: string, b: string) => (c.a === a && c.b === b) || (c.a === b && c.b === a);

/** The rank correlation of a pair (0 when the model gives none; 1 on the diagonal). */
export function rankOf(correlations: readonly Correlation[], a: string, b: string): number {
  if (a === b) return 1;
  return correlations.find((c) => samePair(c, a, b))?.rank ?? 0;
}

/** The full symmetric matrix over `names`. */
export function correlationGrid(names: readonly string[], correlations: readonly Correlation[]): number[][] {
  return names.map((a) => names.map((b) => rankOf(correlations, a, b)));
}

/**
 * The pairs after setting (a, b), which is (b, a) too: one entry per pair, its portion mark kept;
 * a pair set to 0 with no portion mark is dropped (independent inputs need no entry).
 */
export function setCorrelation(
  correlations: readonly Correlation[],
  a: string,
  b: string,
  rank: number,
): Correlation[] {
  if (a === b) return [...correlations];
  const existing = correlations.find((c) => samePair(c, a, b));
  if (!existing) return rank === 0 ? [...correlations] : [...correlations, { a, b, rank }];
  if (rank === 0 && existing.marking === undefined) return correlations.filter((c) => c !== existing);
  return correlations.map((c) => (c === existing ? { ...c, rank } : c));
}

export interface MatrixCheck {
  /** Whether the engine can use the matrix as it is (its Cholesky factor exists). */
  valid: boolean;
  /** The smallest eigenvalue of the copula's matrix: below 0, not positive semi-definite. */
  smallestEigenvalue: number;
  /** The nearest valid matrix, as rank correlations over the same names, when the requested one is not valid. */
  repaired: number[][] | null;
}

/**
 * Checks the requested matrix and, when the engine could not use it, finds the nearest valid one
 * (Higham's nearest correlation matrix), with a small margin above singular and rounded to three
 * decimals as an analyst would type it, then checked again so what is accepted runs unchanged.
 */
export function checkMatrix(grid: readonly (readonly number[])[]): MatrixCheck {
  const n = grid.length;
  if (n === 0) return { valid: true, smallestEigenvalue: 1, repaired: null };
  const pearson = grid.map((row, i) => row.map((rank, j) => (i === j ? 1 : toPearson(rank))));
  const smallestEigenvalue = Math.min(...symmetricEigen(pearson).values);
  if (cholesky(pearson)) return { valid: true, smallestEigenvalue, repaired: null };
  for (const floor of [1e-3, 1e-2, 5e-2, 0.1]) {
    const near = nearestCorrelation(pearson, floor);
    const ranks = near.map((row, i) => row.map((r, j) => (i === j ? 1 : Math.round(toRank(r) * 1000) / 1000)));
    if (cholesky(ranks.map((row, i) => row.map((rank, j) => (i === j ? 1 : toPearson(rank)))))) {
      return { valid: false, smallestEigenvalue, repaired: ranks };
    }
  }
  return { valid: false, smallestEigenvalue, repaired: null };
}

/** The pairs holding a whole matrix over `names` (portion marks kept where a pair had one). */
export function correlationsFromGrid(
  names: readonly string[],
  grid: readonly (readonly number[])[],
  previous: readonly Correlation[],
): Correlation[] {
  let next = previous.filter((c) => !names.includes(c.a) || !names.includes(c.b));
  const kept = previous.filter((c) => names.includes(c.a) && names.includes(c.b));
  next = [...next, ...kept];
  for (let i = 0; i < names.length; i++)
    for (let j = i + 1; j < names.length; j++) next = setCorrelation(next, names[i]!, names[j]!, grid[i]![j]!);
  return next;
}

/** A cell's background: blue for negative, red for positive, stronger with |ρ|. */
export function correlationColour(rank: number): string {
  const strength = Math.min(1, Math.abs(rank));
  return rank < 0 ? `rgba(76, 141, 214, ${0.15 + 0.7 * strength})` : `rgba(229, 83, 75, ${0.15 + 0.7 * strength})`;
}
