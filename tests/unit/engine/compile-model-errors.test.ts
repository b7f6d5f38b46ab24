import { describe, expect, it } from 'vitest';
import { compileModel } from '../../../common/engine/compile-model';

// A walkthrough found a model's errors arriving a few at a time: the schema's first, and only once
// they were fixed the formulas', correlations' and outputs'. An analyst sees them all at once.
describe('compileModel names every problem at once', () => {
  const broken = {
    format: 'enclave-model/1',
    name: 'Broken',
    marking: 'UNCLASSIFIED',
    inputs: [
      { name: 'cost', dist: { type: 'normal', mean: 10, sd: -1 } },
      { name: 'delay', dist: { type: 'triangular', min: 5, mode: 1, max: 3 } },
      { name: 'cost', dist: { type: 'uniform', min: 0, max: 1 } },
    ],
    correlations: [{ a: 'cost', b: 'nowhere', rank: 0.5 }],
    formulas: [
      { name: 'total', expr: 'cost * (1 +' },
      { name: 'other', expr: 'missing + delay' },
    ],
    outputs: ['total', 'nothing'],
  };

  it('reports schema, name, correlation, formula and output problems together', () => {
    const result = compileModel(broken);
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toEqual(
      expect.arrayContaining([
        'inputs.cost.dist.sd: must be greater than 0',
        expect.stringMatching(/^inputs\.delay\.dist: needs min ≤ mode ≤ max/),
        'inputs.cost: defined more than once',
        'correlations: "nowhere" is not an input',
        expect.stringMatching(/^formulas\.total: .* \(at character \d+\)$/),
        expect.stringMatching(/^formulas\.other: "missing" is not an input or a formula/),
        'outputs: "nothing" is not an input or a formula',
      ]),
    );
    expect(new Set(errors).size).toBe(errors.length);
  });

  it('still checks the parts it can read when others are not even the right type', () => {
    const result = compileModel({ ...broken, inputs: [...broken.inputs, 42, { name: 7 }], formulas: 'none' });
    const errors = result.ok ? [] : result.errors;
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^inputs\.3: /),
        expect.stringMatching(/^formulas: /),
        'outputs: "total" is not an input or a formula',
        'outputs: "nothing" is not an input or a formula',
      ]),
    );
  });

  it('a valid model still compiles', () => {
    const result = compileModel({
      ...broken,
      inputs: [{ name: 'cost', dist: { type: 'normal', mean: 10, sd: 1 } }],
      correlations: [],
      formulas: [{ name: 'total', expr: 'cost * 2' }],
      outputs: ['total'],
    });
    expect(result.ok).toBe(true);
  });
});
