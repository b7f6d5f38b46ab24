import { describe, expect, it } from 'vitest';
import { ModelSchema } from '../../../common/model/model';
import { diffModels } from '../../../electron/services/models/model-diff';

const base = ModelSchema.parse({
  format: 'enclave-model/1',
  name: 'Cost',
  marking: 'UNCLASSIFIED',
  inputs: [
    { name: 'a', dist: { type: 'normal', mean: 1, sd: 1 } },
    { name: 'b', dist: { type: 'uniform', min: 0, max: 1 } },
  ],
  correlations: [{ a: 'a', b: 'b', rank: 0.2 }],
  formulas: [{ name: 'total', expr: 'a + b' }],
  outputs: ['total'],
});

describe('model differences', () => {
  it('reordering inputs, formulas or a correlation pair is not a change', () => {
    const reordered = {
      ...base,
      inputs: [...base.inputs].reverse(),
      correlations: [{ a: 'b', b: 'a', rank: 0.2 }],
    };
    expect(diffModels(base, reordered)).toEqual([]);
  });

  it('names removed items, a changed distribution type, an output portion mark and the description', () => {
    const after = {
      ...base,
      description: 'now with notes',
      inputs: [{ name: 'a', dist: { type: 'lognormal' as const, mean: 1, sd: 1 } }],
      correlations: [],
      formulas: [{ name: 'total', expr: 'a' }],
      outputMarkings: { total: 'UNCLASSIFIED' },
    };
    expect(diffModels(base, after)).toEqual([
      { path: 'description', kind: 'added', after: 'now with notes' },
      { path: 'inputs.a.dist.type', kind: 'changed', before: 'normal', after: 'lognormal' },
      { path: 'inputs.b', kind: 'removed', before: '{"dist":{"type":"uniform","min":0,"max":1}}' },
      { path: 'correlations.a~b', kind: 'removed', before: '{"rank":0.2}' },
      { path: 'formulas.total.expr', kind: 'changed', before: 'a + b', after: 'a' },
      { path: 'outputs.total.marking', kind: 'added', after: 'UNCLASSIFIED' },
    ]);
  });

  it('cuts long values to 2,000 characters', () => {
    const long = { ...base, formulas: [{ name: 'total', expr: `a + ${'b + '.repeat(1000)}b` }] };
    const [change] = diffModels(base, long);
    expect(change!.after).toHaveLength(2000);
    expect(change!.after!.endsWith('…')).toBe(true);
  });
});
