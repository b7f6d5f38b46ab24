import type { Marking, SciControl } from './model';
import { sortCountryCodes } from './marking-policy';
import { AEA_TITLES, CLASSIFICATIONS, DISSEM_CONTROLS, DISSEM_ORDER } from './vocabulary';

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Puts every list of a marking in canonical order and removes duplicates. */
export function normalize(m: Marking): Marking {
  return {
    classification: m.classification,
    cui: m.cui ? { categories: sortCuiCategories(m.cui.categories) } : null,
    sci: [...m.sci]
      .map((control) => ({
        system: control.system,
        compartments: [...control.compartments]
          .map((c) => ({ name: c.name, subs: [...new Set(c.subs)].sort(byText) }))
          .sort((a, b) => byText(a.name, b.name)),
      }))
      .sort((a, b) => byText(a.system, b.system)),
    sap: [...new Set(m.sap)].sort(byText),
    aea: m.aea ? { ...m.aea } : null,
    fgi: m.fgi ? { countries: sortCountryCodes(m.fgi.countries) } : null,
    dissem: [...new Set(m.dissem)].sort((a, b) => DISSEM_ORDER.indexOf(a) - DISSEM_ORDER.indexOf(b)),
    relTo: m.relTo ? sortCountryCodes(m.relTo.filter((c) => c !== 'USA')) : null,
    displayOnly: m.displayOnly ? sortCountryCodes(m.displayOnly) : null,
  };
}

/** Specified categories (SP-) first, then basic ones, each alphabetically (DoD CUI marking guide). */
export function sortCuiCategories(categories: readonly string[]): string[] {
  return [...new Set(categories)].sort(
    (a, b) => Number(!a.startsWith('SP-')) - Number(!b.startsWith('SP-')) || byText(a, b),
  );
}

function formatSci(control: SciControl): string {
  return [control.system, ...control.compartments.map((c) => [c.name, ...c.subs].join(' '))].join('-');
}

function formatDissem(m: Marking, form: 'title' | 'abbrev'): string[] {
  const parts: string[] = [];
  for (const name of DISSEM_ORDER) {
    if (name === 'REL TO') {
      if (m.relTo) parts.push(`REL TO ${['USA', ...m.relTo].join(', ')}`);
    } else if (name === 'DISPLAY ONLY') {
      if (m.displayOnly) parts.push(`DISPLAY ONLY ${m.displayOnly.join(', ')}`);
    } else if ((m.dissem as string[]).includes(name)) {
      const spec = DISSEM_CONTROLS.find((d) => d.flag === name)!;
      parts.push(form === 'title' ? spec.title : spec.abbrev);
    }
  }
  return parts;
}

function format(marking: Marking, form: 'title' | 'abbrev'): string {
  const m = normalize(marking);
  const spec = CLASSIFICATIONS.find((c) => c.code === m.classification)!;
  const segments: string[] = [];
  if (m.cui) {
    segments.push('CUI');
    if (m.cui.categories.length > 0) segments.push(m.cui.categories.join('/'));
  } else {
    segments.push(form === 'title' ? spec.title : spec.abbrev);
    if (m.sci.length > 0) segments.push(m.sci.map(formatSci).join('/'));
    if (m.sap.length > 0) segments.push(m.sap.map((id) => `SAR-${id}`).join('/'));
    if (m.aea) {
      if (form === 'abbrev') segments.push(m.aea.kind === 'RD' && m.aea.cnwdi ? 'RD-CNWDI' : m.aea.kind);
      else
        segments.push(
          m.aea.kind === 'RD' ? AEA_TITLES.RD + (m.aea.cnwdi ? `-${AEA_TITLES.CNWDI}` : '') : AEA_TITLES.FRD,
        );
    }
    if (m.fgi) segments.push(['FGI', ...m.fgi.countries].join(' '));
  }
  const dissem = formatDissem(m, form);
  if (dissem.length > 0) segments.push(dissem.join('/'));
  return segments.join('//');
}

/** The banner line: classification spelled out, dissemination controls by title. */
export function formatBanner(m: Marking): string {
  return format(m, 'title');
}

/** The portion mark, with parentheses: abbreviations throughout. */
export function formatPortion(m: Marking): string {
  return `(${format(m, 'abbrev')})`;
}
