/**
 * The report builder's draft, and the definition (enclave-report/1) it stands for: every section
 * kind listed once in the analyst's order, each on or off, with its portion mark and paragraphs.
 * Pure functions, so the builder's moves and the definition it sends can be tested without a screen.
 */
import {
  REPORT_FORMAT,
  SECTION_KINDS,
  type AuthorityBlock,
  type ReportDefinition,
  type ReportParagraph,
  type ReportScenarioTable,
  type SectionKind,
} from '../../common/report/report-definition';

export interface DraftSection {
  kind: SectionKind;
  /** Whether the report has this section. */
  on: boolean;
  portion: string;
  paragraphs: ReportParagraph[];
}

/** The authority block as typed: empty fields mean "the site's defaults". */
export type DraftAuthority = Record<keyof AuthorityBlock, string>;

export interface ReportDraft {
  title: string;
  author: string;
  model: { id: number; version: number } | null;
  /** Saved run ids; the first is the baseline. */
  runs: number[];
  /** Every section kind once, in the report's order. */
  sections: DraftSection[];
  /** A raise of the banner above the roll-up, or null for the roll-up. */
  banner: string | null;
  authority: DraftAuthority;
  scenarios: ReportScenarioTable | null;
}

export const EMPTY_AUTHORITY: DraftAuthority = { classifiedBy: '', derivedFrom: '', declassifyOn: '' };

/** A new draft: every section on, in the standard order, marked `portion` (the model's banner until told). */
export function newDraft(author: string, portion: string): ReportDraft {
  return {
    title: '',
    author,
    model: null,
    runs: [],
    sections: SECTION_KINDS.map((kind) => ({ kind, on: true, portion, paragraphs: [] })),
    banner: null,
    authority: { ...EMPTY_AUTHORITY },
    scenarios: null,
  };
}

/** Moves a section one place up (-1) or down (+1); at either end nothing moves. */
export function moveSection(sections: readonly DraftSection[], kind: SectionKind, by: -1 | 1): DraftSection[] {
  const from = sections.findIndex((s) => s.kind === kind);
  const to = from + by;
  if (from < 0 || to < 0 || to >= sections.length) return [...sections];
  const next = [...sections];
  [next[from], next[to]] = [next[to]!, next[from]!];
  return next;
}

/** The authority block the definition carries: all three fields typed, else null (the site's defaults). */
export function authorityOf(authority: DraftAuthority): AuthorityBlock | null {
  const block = {
    classifiedBy: authority.classifiedBy.trim(),
    derivedFrom: authority.derivedFrom.trim(),
    declassifyOn: authority.declassifyOn.trim(),
  };
  return block.classifiedBy && block.derivedFrom && block.declassifyOn ? block : null;
}

/**
 * The definition the draft stands for, or why there is none yet (no model, no run, no title, no
 * section, an empty paragraph). The scenario table goes with it only when its section is on.
 */
export function definitionOf(
  draft: ReportDraft,
): { ok: true; definition: ReportDefinition } | { ok: false; why: string } {
  if (!draft.model) return { ok: false, why: 'Choose a model.' };
  if (draft.runs.length === 0) return { ok: false, why: 'Choose at least one saved run.' };
  if (!draft.title.trim()) return { ok: false, why: 'Give the report a title.' };
  const sections = draft.sections.filter((s) => s.on);
  if (sections.length === 0) return { ok: false, why: 'Choose at least one section.' };
  for (const section of sections)
    if (section.paragraphs.some((p) => !p.text.trim()))
      return { ok: false, why: 'A paragraph is empty: write it or remove it.' };
  const scenariosOn = sections.some((s) => s.kind === 'scenarios');
  return {
    ok: true,
    definition: {
      format: REPORT_FORMAT,
      title: draft.title.trim(),
      author: draft.author.trim(),
      model: draft.model,
      runs: draft.runs,
      outputs: null,
      banner: draft.banner,
      authority: authorityOf(draft.authority),
      sections: sections.map(({ kind, portion, paragraphs }) => ({
        kind,
        portion,
        paragraphs: paragraphs.map((p) => ({ portion: p.portion, text: p.text.trim() })),
      })),
      scenarios: scenariosOn ? draft.scenarios : null,
    },
  };
}

/** A stored definition back as a draft: its sections first in its order, the others after it, off. */
export function draftFromDefinition(definition: ReportDefinition, portion: string): ReportDraft {
  const listed = definition.sections.map((s) => ({ ...s, on: true }));
  const rest = SECTION_KINDS.filter((kind) => !listed.some((s) => s.kind === kind)).map((kind) => ({
    kind,
    on: false,
    portion,
    paragraphs: [],
  }));
  return {
    title: definition.title,
    author: definition.author,
    model: definition.model,
    runs: definition.runs,
    sections: [...listed, ...rest],
    banner: definition.banner,
    authority: definition.authority ?? { ...EMPTY_AUTHORITY },
    scenarios: definition.scenarios,
  };
}
