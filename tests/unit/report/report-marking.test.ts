import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, createPolicy } from '../../../common/markings';
import type { Model } from '../../../common/model/model';
import { REPORT_FORMAT, type ReportDefinition, type ReportSection } from '../../../common/report/report-definition';
import { checkReportMarkings, reportMarkingOf } from '../../../common/report/report-marking';

/** A model with SECRET//NOFORN inputs beside unclassified ones, and a marked output. */
const model: Model = {
  format: 'enclave-model/1',
  name: 'Sortie cost',
  marking: 'UNCLASSIFIED',
  inputs: [
    { name: 'fuel', dist: { type: 'normal', mean: 10, sd: 1 } },
    { name: 'threat', dist: { type: 'uniform', min: 0, max: 1 }, marking: '(S//NF)' },
  ],
  correlations: [],
  formulas: [{ name: 'cost', expr: 'fuel * (1 + threat)' }],
  outputs: ['cost', 'fuel'],
  outputMarkings: { cost: '(S//NF)' },
};

const authority = { classifiedBy: 'J. Smith, analyst', derivedFrom: 'Sortie SCG 2026', declassifyOn: '20510101' };
const site = { policy: DEFAULT_POLICY, systemHigh: 'SECRET//NOFORN', authorityDefaults: null };

function section(kind: ReportSection['kind'], portion: string, paragraphs: ReportSection['paragraphs'] = []) {
  return { kind, portion, paragraphs };
}

function definition(over: Partial<ReportDefinition> = {}): ReportDefinition {
  return {
    format: REPORT_FORMAT,
    title: 'Sortie cost',
    author: 'J. Smith',
    model: { id: 1, version: 1 },
    runs: [1],
    outputs: null,
    banner: null,
    authority,
    sections: [
      section('title', '(U)'),
      section('summary', '(U)', [
        { portion: '(U)', text: 'Costs rise with the threat.' },
        { portion: '(S//NF)', text: 'The threat is high.' },
      ]),
      section('statistics', '(S//NF)'),
    ],
    scenarios: null,
    ...over,
  };
}

function problems(verdict: ReturnType<typeof checkReportMarkings>) {
  return verdict.ok ? [] : verdict.problems;
}

describe('reportMarkingOf', () => {
  it('reads the banner and the portion form alike', () => {
    const expected = { banner: 'SECRET//NOFORN', portion: '(S//NF)', level: 'SECRET' };
    expect(reportMarkingOf('SECRET//NOFORN', DEFAULT_POLICY)).toEqual(expected);
    expect(reportMarkingOf('(S//NF)', DEFAULT_POLICY)).toEqual(expected);
  });

  it('refuses an invalid marking with a plain message', () => {
    expect(() => reportMarkingOf('SECRTE', DEFAULT_POLICY)).toThrow(/"SECRTE" is not a marking this site accepts/);
    const noSci = createPolicy({ controlsInUse: ['NOFORN'] });
    expect(() => reportMarkingOf('(TS//SI)', noSci)).toThrow(/SCI is not in use at this site/);
  });
});

describe('checkReportMarkings', () => {
  it('a well-marked report: the banner is the roll-up of every portion, with the authority block', () => {
    expect(checkReportMarkings(definition(), [model], site)).toEqual({
      ok: true,
      rollup: 'SECRET//NOFORN',
      banner: 'SECRET//NOFORN',
      authority,
    });
  });

  it('an unclassified report needs no authority block and carries none', () => {
    const verdict = checkReportMarkings(
      definition({ outputs: ['fuel'], authority: null, sections: [section('statistics', '(U)')] }),
      [model],
      site,
    );
    expect(verdict).toEqual({ ok: true, rollup: 'UNCLASSIFIED', banner: 'UNCLASSIFIED', authority: null });
  });

  it('a banner may be raised', () => {
    const verdict = checkReportMarkings(definition({ banner: 'SECRET//ORCON/NOFORN' }), [model], site);
    expect(verdict).toMatchObject({ ok: true, rollup: 'SECRET//NOFORN', banner: 'SECRET//ORCON/NOFORN' });
  });

  it('a banner below the roll-up is refused, naming the banner', () => {
    const verdict = checkReportMarkings(definition({ banner: 'CONFIDENTIAL' }), [model], site);
    expect(problems(verdict)).toEqual([
      {
        where: 'the banner',
        portion: 'CONFIDENTIAL',
        message: expect.stringMatching(/below the roll-up of the portions, SECRET\/\/NOFORN: .*never lowered/),
      },
    ]);
  });

  it('a portion above system high is refused, naming the paragraph and the portion', () => {
    const def = definition();
    def.sections[1]!.paragraphs.push({ portion: '(TS//NF)', text: 'Above this system.' });
    expect(problems(checkReportMarkings(def, [model], site))).toEqual([
      {
        where: 'paragraph 3 of "Executive summary"',
        portion: '(TS//NF)',
        message: "(TS//NF) is above this workstation's system high, SECRET//NOFORN",
      },
    ]);
  });

  it('a raised banner above system high is refused', () => {
    const verdict = checkReportMarkings(definition({ banner: 'TOP SECRET//NOFORN' }), [model], site);
    expect(problems(verdict)).toMatchObject([{ where: 'the banner', portion: '(TS//NF)' }]);
  });

  it('a section marked below its data is refused, naming the section and the items', () => {
    const verdict = checkReportMarkings(
      definition({ sections: [section('statistics', '(U)'), section('sensitivity', '(C)')] }),
      [model],
      site,
    );
    expect(problems(verdict)).toEqual([
      {
        where: 'section "Statistics and percentiles"',
        portion: '(U)',
        message:
          'the section is marked (U) but shows data marked SECRET//NOFORN (output "cost"); mark it at least (S//NF)',
      },
      {
        where: 'section "Sensitivity: tornado and spider"',
        portion: '(C)',
        message: expect.stringContaining('(output "cost", input "threat"); mark it at least (S//NF)'),
      },
    ]);
  });

  it('the model section counts every item: an unmarked item carries the model marking', () => {
    const secretModel: Model = { ...model, marking: 'SECRET', outputMarkings: {} };
    const def = definition({ sections: [section('model', '(C)')] });
    expect(problems(checkReportMarkings(def, [secretModel], site))).toEqual([
      {
        where: 'section "Model description"',
        portion: '(C)',
        message: expect.stringContaining(
          '(input "fuel", input "threat", formula "cost" and 2 more); mark it at least (S//NF)',
        ),
      },
    ]);
    const covered = definition({ sections: [section('model', '(S//NF)')] });
    expect(checkReportMarkings(covered, [secretModel], site).ok).toBe(true);
  });

  it('title and settings carry the model marking; the summary shows no data', () => {
    const secretModel: Model = { ...model, marking: 'SECRET' };
    const def = definition({
      sections: [section('title', '(U)'), section('settings', '(U)'), section('summary', '(U)')],
    });
    expect(problems(checkReportMarkings(def, [secretModel], site)).map((p) => p.where)).toEqual([
      'section "Title page"',
      'section "Run settings"',
    ]);
  });

  it('another version of the model some runs are of counts too', () => {
    const older: Model = { ...model, inputs: [{ ...model.inputs[0]!, marking: '(C)' }, model.inputs[1]!] };
    const def = definition({ outputs: ['fuel'], sections: [section('charts', '(U)')], authority: null });
    expect(checkReportMarkings(def, [model], site).ok).toBe(true);
    expect(problems(checkReportMarkings(def, [model, older], site))).toMatchObject([
      { where: 'section "Histograms and S-curves"', message: expect.stringContaining('mark it at least (C//NF)') },
    ]);
  });

  it('a classified report without an authority block uses the site defaults, else is refused', () => {
    const def = definition({ authority: null });
    expect(problems(checkReportMarkings(def, [model], site))).toEqual([
      {
        where: 'the authority block',
        portion: 'SECRET//NOFORN',
        message: expect.stringContaining('a classified report needs a classification authority block'),
      },
    ]);
    const withDefaults = checkReportMarkings(def, [model], { ...site, authorityDefaults: authority });
    expect(withDefaults).toMatchObject({ ok: true, authority });
  });

  it('reports every problem at once: bad portions, unknown outputs', () => {
    const def = definition({
      outputs: ['cost', 'profit'],
      sections: [section('statistics', 'SECRTE'), section('summary', '(U)', [{ portion: '(U', text: 'x' }])],
    });
    expect(problems(checkReportMarkings(def, [model], site)).map((p) => [p.where, p.portion])).toEqual([
      ['the outputs', ''],
      ['section "Statistics and percentiles"', 'SECRTE'],
      ['paragraph 1 of "Executive summary"', '(U'],
    ]);
  });
});
