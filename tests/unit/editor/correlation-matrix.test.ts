import { describe, expect, it } from 'vitest';
import { planCorrelation } from '../../../common/engine/correlation';
import {
  checkMatrix,
  correlationGrid,
  correlationsFromGrid,
  setCorrelation,
  type Correlation,
} from '../../../renderer/features/editor/correlation-matrix';

const names = ['a', 'b', 'c'];

describe('the correlation matrix editor', () => {
  it('setting (i, j) sets (j, i): one entry per pair, and the grid is symmetric with a unit diagonal', () => {
    let pairs: Correlation[] = [];
    pairs = setCorrelation(pairs, 'a', 'b', 0.5);
    pairs = setCorrelation(pairs, 'b', 'a', 0.7);
    pairs = setCorrelation(pairs, 'c', 'a', -0.2);
    expect(pairs).toEqual([
      { a: 'a', b: 'b', rank: 0.7 },
      { a: 'c', b: 'a', rank: -0.2 },
    ]);
    const grid = correlationGrid(names, pairs);
    expect(grid).toEqual([
      [1, 0.7, -0.2],
      [0.7, 1, 0],
      [-0.2, 0, 1],
    ]);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(grid[i]![j]).toBe(grid[j]![i]);
  });

  it('a pair set to 0 is dropped unless it carries a portion mark', () => {
    const pairs: Correlation[] = [
      { a: 'a', b: 'b', rank: 0.5 },
      { a: 'a', b: 'c', rank: 0.5, marking: 'SECRET' },
    ];
    expect(setCorrelation(setCorrelation(pairs, 'b', 'a', 0), 'c', 'a', 0)).toEqual([
      { a: 'a', b: 'c', rank: 0, marking: 'SECRET' },
    ]);
  });

  it('a valid matrix is valid, with a positive smallest eigenvalue and no repair', () => {
    const check = checkMatrix(correlationGrid(names, [{ a: 'a', b: 'b', rank: 0.6 }]));
    expect(check.valid).toBe(true);
    expect(check.smallestEigenvalue).toBeGreaterThan(0);
    expect(check.repaired).toBeNull();
  });

  it('an impossible matrix (a~b 0.9, b~c 0.9, a~c −0.9) is not PSD; its repair is symmetric, near, and runs unchanged', () => {
    const requested: Correlation[] = [
      { a: 'a', b: 'b', rank: 0.9 },
      { a: 'b', b: 'c', rank: 0.9 },
      { a: 'a', b: 'c', rank: -0.9, marking: 'UNCLASSIFIED' },
    ];
    const check = checkMatrix(correlationGrid(names, requested));
    expect(check.valid).toBe(false);
    expect(check.smallestEigenvalue).toBeLessThan(0);
    const repaired = check.repaired!;
    for (let i = 0; i < 3; i++) {
      expect(repaired[i]![i]).toBe(1);
      for (let j = 0; j < 3; j++) expect(repaired[i]![j]).toBe(repaired[j]![i]);
    }
    // The engine's own repair (Higham, floor 1e-6) lands within a few hundredths of the editor's.
    const engine = planCorrelation(names, requested).plan!.adjustments;
    for (const { a, b, used } of engine) expect(repaired[names.indexOf(a)]![names.indexOf(b)]).toBeCloseTo(used, 1);
    // Accepted, the pairs are valid: the engine runs them as they are (no adjustments), and the portion mark stays.
    const accepted = correlationsFromGrid(names, repaired, requested);
    expect(checkMatrix(correlationGrid(names, accepted)).valid).toBe(true);
    expect(planCorrelation(names, accepted).plan!.adjustments).toEqual([]);
    expect(accepted.find((c) => c.a === 'a' && c.b === 'c')?.marking).toBe('UNCLASSIFIED');
  });

  it('two inputs correlated at exactly 1 are singular: the engine cannot use it, and the repair pulls it below 1', () => {
    const check = checkMatrix(correlationGrid(['x', 'y'], [{ a: 'x', b: 'y', rank: 1 }]));
    expect(check.valid).toBe(false);
    expect(check.repaired![0]![1]).toBeLessThan(1);
    expect(check.repaired![0]![1]).toBeGreaterThan(0.95);
  });
});
