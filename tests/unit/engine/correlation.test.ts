import { describe, expect, it } from 'vitest';
import { compileModel } from '../../../common/engine/compile-model';
import { cholesky, nearestCorrelation, symmetricEigen } from '../../../common/engine/correlation';
import { pearson, ranks } from '../../../common/engine/sensitivity';
import { simulateCpu } from '../../../common/engine/simulate-cpu';

const inputs = [
  { name: 'cost', dist: { type: 'pert', min: 10, mode: 20, max: 50 } },
  { name: 'delay', dist: { type: 'lognormal', mean: 6, sd: 3 } },
  { name: 'rate', dist: { type: 'uniform', min: 0, max: 1 } },
  { name: 'staff', dist: { type: 'triangular', min: 3, mode: 5, max: 12 } },
];
const model = (correlations: { a: string; b: string; rank: number }[]) => ({
  format: 'enclave-model/1',
  name: 'correlated',
  marking: 'UNCLASSIFIED',
  inputs,
  correlations,
  outputs: inputs.map((i) => i.name),
});
const spearman = (a: Float64Array, b: Float64Array) => pearson(ranks(a), ranks(b));

describe('rank correlation (Gaussian copula)', () => {
  it.each(['mc', 'lhs'] as const)('achieves the requested rank correlations within ±0.02 (%s)', (sampling) => {
    const targets = [
      { a: 'cost', b: 'delay', rank: 0.6 },
      { a: 'cost', b: 'rate', rank: -0.3 },
      { a: 'delay', b: 'staff', rank: 0.4 },
    ];
    const result = compileModel(model(targets));
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(result.compiled.correlationAdjustments).toEqual([]);
    const { outputs } = simulateCpu(result.compiled, { iterations: 100_000, seed: 8, sampling });
    for (const t of targets)
      expect(Math.abs(spearman(outputs[t.a]!, outputs[t.b]!) - t.rank), `${t.a}~${t.b}`).toBeLessThan(0.02);
    // Pairs with no target stay as the copula implies, and uncorrelated inputs stay independent.
    expect(Math.abs(spearman(outputs.rate!, outputs.staff!))).toBeLessThan(0.3);
  });

  it('repairs a matrix that is not positive semi-definite, and reports the values it used', () => {
    const impossible = [
      { a: 'cost', b: 'delay', rank: 0.9 },
      { a: 'delay', b: 'rate', rank: 0.9 },
      { a: 'cost', b: 'rate', rank: -0.9 },
    ];
    const result = compileModel(model(impossible));
    if (!result.ok) throw new Error(result.errors.join('\n'));
    const adjustments = result.compiled.correlationAdjustments;
    expect(adjustments.map((a) => [a.a, a.b, a.requested])).toEqual([
      ['cost', 'delay', 0.9],
      ['cost', 'rate', -0.9],
      ['delay', 'rate', 0.9],
    ]);
    for (const a of adjustments) expect(Math.abs(a.used - a.requested)).toBeGreaterThan(0.05);
    const { outputs } = simulateCpu(result.compiled, { iterations: 100_000, seed: 2 });
    for (const a of adjustments)
      expect(Math.abs(spearman(outputs[a.a]!, outputs[a.b]!) - a.used), `${a.a}~${a.b}`).toBeLessThan(0.02);
  });

  it('refuses unknown inputs, self-correlation and pairs given twice, naming them', () => {
    const result = compileModel(
      model([
        { a: 'cost', b: 'wages', rank: 0.5 },
        { a: 'rate', b: 'rate', rank: 0.5 },
        { a: 'cost', b: 'delay', rank: 0.2 },
        { a: 'delay', b: 'cost', rank: 0.3 },
      ]),
    );
    expect(result.ok ? [] : result.errors).toEqual([
      'correlations: "wages" is not an input',
      'correlations: rate cannot be correlated with itself',
      'correlations: delay and cost are given more than once',
    ]);
    const outOfRange = compileModel(model([{ a: 'cost', b: 'delay', rank: 1.5 }]));
    expect(outOfRange.ok ? [] : outOfRange.errors.join()).toMatch(/correlations\.0\.rank/);
  });

  it('nearest correlation matrix: unit diagonal, positive semi-definite, close to the request', () => {
    const m = [
      [1, 0.9, 0.9],
      [0.9, 1, -0.9],
      [0.9, -0.9, 1],
    ];
    expect(cholesky(m)).toBeNull();
    const fixed = nearestCorrelation(m);
    expect(fixed.map((row, i) => row[i])).toEqual([1, 1, 1]);
    expect(Math.min(...symmetricEigen(fixed).values)).toBeGreaterThan(-1e-9);
    expect(cholesky(fixed)).not.toBeNull();
    expect(fixed[0]![1]).toBeCloseTo(fixed[1]![0]!, 12);
  });
});
