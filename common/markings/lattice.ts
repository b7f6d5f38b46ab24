import { normalize } from './format';
import { CLASSIFICATION_RANK, type Classification, type DissemFlag, type Marking } from './model';
import type { MarkingPolicy } from './marking-policy';
import { NOFORN_SCI_SYSTEMS } from './vocabulary';

/**
 * A marking as a point in a lattice, so that roll-up is a join (commutative, associative,
 * idempotent) and dominance is the lattice order. Release is modelled as the set of foreign
 * countries a marking allows: ALL for no restriction, a set closed under tetragraph membership
 * (a tetragraph brings its members), or the empty set for NOFORN.
 */
export const ALL = 'ALL' as const;
export type CountrySet = typeof ALL | ReadonlySet<string>;

export interface Lattice {
  level: number;
  cui: boolean;
  cuiCategories: ReadonlySet<string>;
  /** system → compartment → sub-compartments */
  sci: ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>;
  sap: ReadonlySet<string>;
  /** 0 none, 1 FRD, 2 RD (RD supersedes FRD) */
  aea: number;
  cnwdi: boolean;
  fgi: { concealed: boolean; countries: ReadonlySet<string> } | null;
  /** Propagating controls: RSEN, FOUO, ORCON, IMCON, PROPIN, FISA, FEDCON, NOCON, DL ONLY. */
  flags: ReadonlySet<DissemFlag>;
  /** Countries the information may be released to (REL TO). */
  release: CountrySet;
  /** Countries it may be released or shown to (REL TO plus DISPLAY ONLY). */
  disclosable: CountrySet;
  /** RELIDO: 'na' for unrestricted unclassified information, which says nothing either way. */
  relido: boolean | 'na';
}

const PROPAGATING: readonly DissemFlag[] = [
  'RSEN',
  'FOUO',
  'ORCON',
  'IMCON',
  'PROPIN',
  'FISA',
  'FEDCON',
  'NOCON',
  'DL ONLY',
];
const LEVELS: readonly Classification[] = ['U', 'C', 'S', 'TS'];

function closed(codes: readonly string[], policy: MarkingPolicy): Set<string> {
  const set = new Set(codes.filter((c) => c !== 'USA'));
  for (const code of codes) for (const member of policy.tetragraphs[code] ?? []) if (member !== 'USA') set.add(member);
  return set;
}

function intersect(a: CountrySet, b: CountrySet): CountrySet {
  if (a === ALL) return b;
  if (b === ALL) return a;
  return new Set([...a].filter((c) => b.has(c)));
}

function union(a: CountrySet, b: CountrySet): CountrySet {
  if (a === ALL || b === ALL) return ALL;
  return new Set([...a, ...b]);
}

export function subset(a: CountrySet, b: CountrySet): boolean {
  if (b === ALL) return true;
  if (a === ALL) return false;
  return [...a].every((c) => b.has(c));
}

export function toLattice(m: Marking, policy: MarkingPolicy): Lattice {
  const has = (flag: DissemFlag) => m.dissem.includes(flag);
  const level = CLASSIFICATION_RANK[m.classification];
  const noforn = has('NOFORN') || m.sci.some((c) => NOFORN_SCI_SYSTEMS.includes(c.system));
  let release: CountrySet;
  if (noforn) release = new Set();
  else if (m.relTo) release = closed(m.relTo, policy);
  else if (m.displayOnly) release = new Set();
  else if (has('RELIDO') || level === 0) release = ALL;
  // A classified portion with no release marking is not releasable (CAPCO: NOFORN by default).
  else release = new Set();
  const disclosable = m.displayOnly && !noforn ? union(release, closed(m.displayOnly, policy)) : release;
  return {
    level,
    cui: m.cui !== null,
    cuiCategories: new Set(m.cui?.categories ?? []),
    sci: new Map(m.sci.map((c) => [c.system, new Map(c.compartments.map((k) => [k.name, new Set(k.subs)]))])),
    sap: new Set(m.sap),
    aea: m.aea ? (m.aea.kind === 'RD' ? 2 : 1) : 0,
    cnwdi: m.aea?.cnwdi ?? false,
    fgi: m.fgi ? { concealed: m.fgi.countries.length === 0, countries: new Set(m.fgi.countries) } : null,
    flags: new Set(m.dissem.filter((f) => PROPAGATING.includes(f))),
    release,
    disclosable,
    relido: has('RELIDO') ? true : release === ALL && level === 0 ? 'na' : false,
  };
}

function joinSci(a: Lattice['sci'], b: Lattice['sci']): Lattice['sci'] {
  const out = new Map<string, Map<string, Set<string>>>();
  for (const source of [a, b]) {
    for (const [system, compartments] of source) {
      const target = out.get(system) ?? new Map<string, Set<string>>();
      for (const [name, subs] of compartments) target.set(name, new Set([...(target.get(name) ?? []), ...subs]));
      out.set(system, target);
    }
  }
  return out;
}

/** Roll-up of two markings: the least marking that dominates both. */
export function join(a: Lattice, b: Lattice): Lattice {
  return {
    level: Math.max(a.level, b.level),
    cui: a.cui || b.cui,
    cuiCategories: new Set([...a.cuiCategories, ...b.cuiCategories]),
    sci: joinSci(a.sci, b.sci),
    sap: new Set([...a.sap, ...b.sap]),
    aea: Math.max(a.aea, b.aea),
    cnwdi: a.cnwdi || b.cnwdi,
    fgi:
      a.fgi || b.fgi
        ? {
            concealed: Boolean(a.fgi?.concealed || b.fgi?.concealed),
            countries: new Set([...(a.fgi?.countries ?? []), ...(b.fgi?.countries ?? [])]),
          }
        : null,
    flags: new Set([...a.flags, ...b.flags]),
    release: intersect(a.release, b.release),
    disclosable: intersect(a.disclosable, b.disclosable),
    relido: a.relido === 'na' ? b.relido : b.relido === 'na' ? a.relido : a.relido && b.relido,
  };
}

/** Smallest list naming a closed set: a tetragraph stands for its members. */
function compress(set: ReadonlySet<string>, policy: MarkingPolicy): string[] {
  const tetragraphs = [...set].filter((c) => c.length === 4);
  const covered = new Set(tetragraphs.flatMap((t) => policy.tetragraphs[t] ?? []));
  return [...set].filter((c) => c.length === 4 || !covered.has(c));
}

/** The marking that a lattice point stands for, in canonical form. */
export function fromLattice(l: Lattice, policy: MarkingPolicy): Marking {
  const classified = l.level > 0;
  const dissem: DissemFlag[] = [...l.flags].filter(
    (f) => !(classified && ['FOUO', 'FEDCON', 'NOCON', 'DL ONLY'].includes(f)) && !(l.cui && f === 'FOUO'),
  );
  let relTo: string[] | null = null;
  let displayOnly: string[] | null = null;
  if (l.disclosable !== ALL && l.disclosable.size === 0) dissem.push('NOFORN');
  else {
    if (l.release !== ALL && l.release.size > 0) relTo = compress(l.release, policy);
    if (l.disclosable !== ALL) {
      const shown = new Set([...l.disclosable].filter((c) => l.release === ALL || !l.release.has(c)));
      if (shown.size > 0) displayOnly = compress(shown, policy);
    }
    if (l.relido === true) dissem.push('RELIDO');
  }
  const fgi = l.fgi ? { countries: l.fgi.concealed ? [] : [...l.fgi.countries] } : null;
  return normalize({
    classification: LEVELS[l.level]!,
    cui: l.cui && !classified ? { categories: [...l.cuiCategories] } : null,
    sci: [...l.sci].map(([system, compartments]) => ({
      system,
      compartments: [...compartments].map(([name, subs]) => ({ name, subs: [...subs] })),
    })),
    sap: [...l.sap],
    aea: l.aea === 0 ? null : { kind: l.aea === 2 ? 'RD' : 'FRD', cnwdi: l.aea === 2 && l.cnwdi },
    fgi,
    dissem,
    relTo,
    displayOnly,
  });
}
