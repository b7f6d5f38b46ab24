import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../common/markings/marking-policy';
import type { Model } from '../../../common/model/model';
import { bannerRollup } from '../../../renderer/features/editor/model-banner';
import { modelIssues } from '../../../renderer/features/editor/model-issues';
import { blankModel } from '../../../common/model/edit-history';
import { changeDistribution, removeItem, renameItem, setOutput } from '../../../renderer/features/editor/model-edits';

const model = (): Model => ({
  format: 'enclave-model/1',
  name: 'Cost',
  marking: 'UNCLASSIFIED',
  inputs: [
    { name: 'labour', dist: { type: 'normal', mean: 100, sd: 10 } },
    { name: 'materials', dist: { type: 'triangular', min: 10, mode: 20, max: 40 }, marking: 'CONFIDENTIAL' },
  ],
  correlations: [{ a: 'labour', b: 'materials', rank: 0.4 }],
  formulas: [{ name: 'total', expr: 'labour + materials * 2 + max(labour, 0)' }],
  outputs: ['total', 'labour'],
  outputMarkings: { labour: 'UNCLASSIFIED' },
});

describe('model edits', () => {
  it('renaming an input renames it in formulas (whole names only), correlations, outputs and output marks', () => {
    const renamed = renameItem(model(), 'labour', 'lab');
    expect(renamed.inputs[0]!.name).toBe('lab');
    expect(renamed.formulas[0]!.expr).toBe('lab + materials * 2 + max(lab, 0)');
    expect(renamed.correlations[0]).toEqual({ a: 'lab', b: 'materials', rank: 0.4 });
    expect(renamed.outputs).toEqual(['total', 'lab']);
    expect(renamed.outputMarkings).toEqual({ lab: 'UNCLASSIFIED' });
    expect(modelIssues(renamed).all).toEqual([]);
  });

  it('removing an input removes its correlations, its output and output mark; the formula now names an unknown input', () => {
    const removed = removeItem(model(), 'labour');
    expect(removed.correlations).toEqual([]);
    expect(removed.outputs).toEqual(['total']);
    expect(removed.outputMarkings).toBeUndefined();
    expect(modelIssues(removed).formulas.map((i) => i.kind)).toEqual(['unknown-name']);
  });

  it('outputs keep the order of inputs then formulas', () => {
    expect(setOutput(model(), 'materials', true).outputs).toEqual(['labour', 'materials', 'total']);
    expect(setOutput(model(), 'labour', false).outputs).toEqual(['total']);
  });

  it('another distribution keeps the parameters the two share, where they still make sense', () => {
    const input = model().inputs[1]!;
    expect(changeDistribution(input, 'pert').dist).toEqual({ type: 'pert', min: 10, mode: 20, max: 40 });
    expect(changeDistribution(input, 'uniform').dist).toEqual({ type: 'uniform', min: 10, max: 40 });
    expect(changeDistribution(input, 'gamma').dist).toEqual({ type: 'gamma', shape: 2, scale: 3 });
  });

  it('a blank model names what it lacks, and formula problems are listed once, counted from 1', () => {
    expect(modelIssues(blankModel()).all).toEqual([
      'inputs: add at least one input',
      'outputs: choose at least one output',
    ]);
    const typo = { ...model(), formulas: [{ name: 'total', expr: 'labour + materals' }] };
    expect(modelIssues(typo).all).toEqual([
      'formulas.total: "materals" is not an input or a formula (at character 10) — did you mean materials?',
    ]);
  });

  it('parameter problems sit at their field’s path, in the schema’s words', () => {
    const bad = model();
    bad.inputs[0] = { name: 'labour', dist: { type: 'normal', mean: 100, sd: -1 } };
    expect(modelIssues(bad).fields.get('inputs.0.dist.sd')).toBe('must be greater than 0');
    expect(modelIssues(bad).all).toContain('inputs.labour.dist.sd: must be greater than 0');
  });
});

describe('the banner roll-up', () => {
  it('is the roll-up of the parts and the model’s marking, and says when the model’s own is below its parts', () => {
    const roll = bannerRollup(model(), DEFAULT_POLICY);
    expect(roll.banner).toBe('CONFIDENTIAL//NOFORN');
    expect(roll.belowParts).toBe(true);
    const raised = bannerRollup({ ...model(), marking: 'SECRET' }, DEFAULT_POLICY);
    expect(raised.banner).toBe('SECRET//NOFORN');
    expect(raised.belowParts).toBe(false);
  });

  it('names a portion mark that does not read', () => {
    const bad = { ...model(), formulas: [{ name: 'total', expr: 'labour', marking: 'SECRETISH' }] };
    expect(bannerRollup(bad, DEFAULT_POLICY).problems).toEqual(['formulas.total: "SECRETISH" is not a valid marking']);
  });
});
