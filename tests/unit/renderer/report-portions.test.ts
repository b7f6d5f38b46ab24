import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../common/markings';
import type { Model } from '../../../common/model/model';
import { checkReportMarkings } from '../../../common/report/report-marking';
import { REPORT_FORMAT } from '../../../common/report/report-definition';
import { sectionPortions } from '../../../renderer/state/report-portions';

const model = {
  format: 'enclave-model/1',
  name: 'Bridge cost',
  marking: 'SECRET',
  inputs: [
    { name: 'labour', dist: { type: 'normal', mean: 100, sd: 10 }, marking: 'SECRET' },
    { name: 'materials', dist: { type: 'triangular', min: 50, mode: 60, max: 90 }, marking: 'UNCLASSIFIED' },
  ],
  correlations: [],
  formulas: [{ name: 'total', expr: 'labour + materials', marking: 'UNCLASSIFIED' }],
  outputs: ['total'],
} as unknown as Model;

describe('the builder’s starting portion marks', () => {
  it('mark each section at the roll-up of what it shows, the analyst’s text alone UNCLASSIFIED', () => {
    const portions = sectionPortions(model, DEFAULT_POLICY);
    expect(portions.summary).toBe('UNCLASSIFIED');
    expect(portions.statistics).toBe('UNCLASSIFIED'); // the output "total" is marked UNCLASSIFIED
    expect(portions.sensitivity).toBe('SECRET//NOFORN'); // a classified roll-up without a release marking is NOFORN // it shows the SECRET input "labour"
    expect(portions.model).toBe('SECRET//NOFORN');
    expect(portions.title).toBe('SECRET//NOFORN'); // it names the SECRET model
  });

  it('check as they start: the service’s rules accept a report of every section marked so', () => {
    const portions = sectionPortions(model, DEFAULT_POLICY);
    const verdict = checkReportMarkings(
      {
        format: REPORT_FORMAT,
        title: 'Bridge cost risk',
        author: 'A. Analyst',
        model: { id: 1, version: 1 },
        runs: [1],
        outputs: null,
        banner: null,
        authority: { classifiedBy: 'A. Analyst', derivedFrom: 'SCG', declassifyOn: '20511231' },
        sections: Object.entries(portions).map(([kind, portion]) => ({
          kind: kind as keyof typeof portions,
          portion,
          paragraphs: [],
        })),
        scenarios: null,
      },
      [model],
      { policy: DEFAULT_POLICY, systemHigh: 'TOP SECRET', authorityDefaults: null },
    );
    expect(verdict).toMatchObject({ ok: true, banner: 'SECRET//NOFORN', rollup: 'SECRET//NOFORN' });
  });
});
