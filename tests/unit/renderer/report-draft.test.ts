import { describe, expect, it } from 'vitest';
import { ReportDefinitionSchema, SECTION_KINDS } from '../../../common/report/report-definition';
import {
  authorityOf,
  definitionOf,
  draftFromDefinition,
  moveSection,
  newDraft,
  type ReportDraft,
} from '../../../renderer/state/report-draft';

const ready = (change: Partial<ReportDraft> = {}): ReportDraft => ({
  ...newDraft('Analyst One', 'SECRET'),
  title: 'Cost risk, Q3',
  model: { id: 4, version: 2 },
  runs: [11, 12],
  ...change,
});

describe('the report builder draft', () => {
  it('starts with every section on, in the standard order, marked as told, by the signed-in author', () => {
    const draft = newDraft('Analyst One', 'SECRET');
    expect(draft.sections.map((s) => s.kind)).toEqual([...SECTION_KINDS]);
    expect(draft.sections.every((s) => s.on && s.portion === 'SECRET')).toBe(true);
    expect(draft.author).toBe('Analyst One');
  });

  it('moves a section one place up or down, and nothing past either end', () => {
    const sections = newDraft('', 'U').sections;
    const down = moveSection(sections, 'title', 1);
    expect(down.slice(0, 2).map((s) => s.kind)).toEqual(['summary', 'title']);
    const up = moveSection(down, 'title', -1);
    expect(up.map((s) => s.kind)).toEqual([...SECTION_KINDS]);
    expect(moveSection(sections, 'title', -1).map((s) => s.kind)).toEqual([...SECTION_KINDS]);
    expect(moveSection(sections, 'settings', 1).map((s) => s.kind)).toEqual([...SECTION_KINDS]);
  });

  it('says what is missing before there is a definition', () => {
    expect(definitionOf(newDraft('', 'U'))).toEqual({ ok: false, why: 'Choose a model.' });
    expect(definitionOf(ready({ runs: [] }))).toEqual({ ok: false, why: 'Choose at least one saved run.' });
    expect(definitionOf(ready({ title: '  ' }))).toEqual({ ok: false, why: 'Give the report a title.' });
    const none = ready();
    none.sections = none.sections.map((s) => ({ ...s, on: false }));
    expect(definitionOf(none)).toEqual({ ok: false, why: 'Choose at least one section.' });
    const empty = ready();
    empty.sections[1] = { ...empty.sections[1]!, paragraphs: [{ portion: 'U', text: ' ' }] };
    expect(definitionOf(empty)).toEqual({ ok: false, why: 'A paragraph is empty: write it or remove it.' });
  });

  it('makes a definition the schema accepts: only the sections on, in the analyst’s order, runs[0] the baseline', () => {
    let draft = ready();
    draft.sections = moveSection(draft.sections, 'settings', -1);
    draft.sections = draft.sections.map((s) => (s.kind === 'convergence' ? { ...s, on: false } : s));
    draft.sections = draft.sections.map((s) =>
      s.kind === 'summary' ? { ...s, paragraphs: [{ portion: '(S)', text: ' Findings. ' }] } : s,
    );
    draft = {
      ...draft,
      scenarios: { parameters: [{ input: 'a', parameter: 'mean' }], scenarios: [{ name: 'x', values: [1] }] },
    };
    const made = definitionOf(draft);
    if (!made.ok) throw new Error(made.why);
    expect(ReportDefinitionSchema.parse(made.definition)).toEqual(made.definition);
    expect(made.definition.sections.map((s) => s.kind)).toEqual([
      'title',
      'summary',
      'model',
      'statistics',
      'charts',
      'sensitivity',
      'scenarios',
      'comparison',
      'settings',
    ]);
    expect(made.definition.sections[1]!.paragraphs).toEqual([{ portion: '(S)', text: 'Findings.' }]);
    expect(made.definition.runs).toEqual([11, 12]);
    expect(made.definition.scenarios).not.toBeNull();
    // Without the scenario section, its table does not go with the definition.
    draft.sections = draft.sections.map((s) => (s.kind === 'scenarios' ? { ...s, on: false } : s));
    const without = definitionOf(draft);
    expect(without.ok && without.definition.scenarios).toBeNull();
  });

  it('takes the authority block only with all three fields, else the site’s defaults (null)', () => {
    expect(authorityOf({ classifiedBy: 'J. Smith', derivedFrom: 'SCG 12', declassifyOn: '' })).toBeNull();
    expect(authorityOf({ classifiedBy: ' J. Smith ', derivedFrom: 'SCG 12', declassifyOn: '20510101' })).toEqual({
      classifiedBy: 'J. Smith',
      derivedFrom: 'SCG 12',
      declassifyOn: '20510101',
    });
  });

  it('opens a stored definition as a draft: its sections first in its order, the others after, off', () => {
    const made = definitionOf(ready());
    if (!made.ok) throw new Error(made.why);
    const stored = { ...made.definition, sections: [made.definition.sections[3]!, made.definition.sections[0]!] };
    const draft = draftFromDefinition(stored, 'SECRET');
    expect(draft.sections.slice(0, 2).map((s) => [s.kind, s.on])).toEqual([
      ['statistics', true],
      ['title', true],
    ]);
    expect(draft.sections.slice(2).every((s) => !s.on)).toBe(true);
    expect(draft.sections).toHaveLength(SECTION_KINDS.length);
    const again = definitionOf(draft);
    expect(again.ok && again.definition).toEqual(stored);
  });
});
