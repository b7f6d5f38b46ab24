import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, createPolicy } from '../../../common/markings';
import type { Model } from '../../../common/model/model';
import { buildReportDocument } from '../../../common/report/build-document';
import { ReportDefinitionSchema } from '../../../common/report/report-definition';
import { checkReportMarkings } from '../../../common/report/report-marking';
import { standardDefinition } from '../../../common/report/standard-definition';
import { exampleModel, realRun, reportData } from './report-fixture';

/** The revenue example marked CONFIDENTIAL, one input SECRET//REL TO USA, GBR, the output revenue unclassified. */
function markedModel(): Model {
  const model = exampleModel('revenue-forecast.json');
  return {
    ...model,
    marking: 'CONFIDENTIAL//REL TO USA, GBR',
    inputs: model.inputs.map((input, i) => (i === 0 ? { ...input, marking: '(S//REL TO USA, GBR)' } : input)),
    outputs: ['revenue', 'core'],
    outputMarkings: { revenue: '(U)' },
  };
}

const site = { policy: DEFAULT_POLICY, systemHigh: 'SECRET', authorityDefaults: null };
const authority = { classifiedBy: 'Site ISSM', derivedFrom: 'Revenue SCG', declassifyOn: '20500101' };

describe('standardDefinition (enclave simulate --report)', () => {
  const model = markedModel();
  const runs = [realRun(model, 5, 2000, 'this run', true)];
  const args = { model, modelRef: { id: 1, version: 1 }, runIds: [1], author: 'batch', runs, policy: DEFAULT_POLICY };

  it('has every section that applies, each marked with the roll-up of what it shows, and checks', () => {
    const definition = standardDefinition(args);
    expect(ReportDefinitionSchema.parse(definition)).toEqual(definition);
    expect(definition.title).toBe(model.name);
    expect(definition.sections.map((s) => [s.kind, s.portion])).toEqual([
      ['title', '(C//REL TO USA, GBR)'],
      ['model', '(S//REL TO USA, GBR)'],
      ['statistics', '(C//REL TO USA, GBR)'],
      ['charts', '(C//REL TO USA, GBR)'],
      ['sensitivity', '(S//REL TO USA, GBR)'],
      ['convergence', '(C//REL TO USA, GBR)'],
      ['settings', '(C//REL TO USA, GBR)'],
    ]);
    const verdict = checkReportMarkings(definition, [model], { ...site, authorityDefaults: authority });
    expect(verdict).toEqual({
      ok: true,
      rollup: 'SECRET//REL TO USA, GBR',
      banner: 'SECRET//REL TO USA, GBR',
      authority,
    });
  });

  it('a section that shows only unclassified data is marked (U)', () => {
    const onlyFirst: Model = { ...model, outputs: ['revenue'] };
    const definition = standardDefinition({ ...args, model: onlyFirst });
    expect(definition.sections.find((s) => s.kind === 'statistics')!.portion).toBe('(U)');
  });

  it('compares only two runs or more, and builds a document the same as the app would', () => {
    expect(standardDefinition(args).sections.some((s) => s.kind === 'comparison')).toBe(false);
    const two = [...runs, realRun(model, 6, 2000, 'second', false)];
    const definition = standardDefinition({ ...args, runIds: [1, 2], runs: two, title: '  Q3 revenue  ' });
    expect(definition.title).toBe('Q3 revenue');
    expect(definition.sections.map((s) => s.kind)).toContain('comparison');
    const doc = buildReportDocument(
      definition,
      reportData(model, two, { systemHigh: 'SECRET', authorityDefaults: authority }),
    );
    expect(doc.banner.banner).toBe('SECRET//REL TO USA, GBR');
    expect(doc.authority).toEqual(authority);
  });

  it('a classified run with no site authority defaults is refused by the check, in plain words', () => {
    const verdict = checkReportMarkings(standardDefinition(args), [model], site);
    expect(verdict.ok ? [] : verdict.problems.map((p) => p.where)).toEqual(['the authority block']);
  });

  it('a model whose marking the site does not accept is refused with the item named', () => {
    const noRel = createPolicy({ controlsInUse: ['NOFORN'] });
    expect(() => standardDefinition({ ...args, policy: noRel })).toThrow(
      /the model "Revenue forecast with confidence bands" is marked "CONFIDENTIAL\/\/REL TO USA, GBR", which this site does not accept: REL TO is not in use at this site/,
    );
  });
});
