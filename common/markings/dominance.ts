import { toLattice, subset, type Lattice } from './lattice';
import { CLASSIFICATION_RANK, type Marking } from './model';
import { DEFAULT_POLICY, type MarkingPolicy } from './marking-policy';

function sciCovers(a: Lattice['sci'], b: Lattice['sci']): boolean {
  for (const [system, compartments] of b) {
    const mine = a.get(system);
    if (!mine) return false;
    for (const [name, subs] of compartments) {
      const mySubs = mine.get(name);
      if (!mySubs || [...subs].some((s) => !mySubs.has(s))) return false;
    }
  }
  return true;
}

function accessCovers(a: Lattice, b: Lattice): boolean {
  return (
    a.level >= b.level &&
    sciCovers(a.sci, b.sci) &&
    [...b.sap].every((p) => a.sap.has(p)) &&
    a.aea >= b.aea &&
    (a.cnwdi || !b.cnwdi)
  );
}

/**
 * a dominates b: a is at least as high and at least as restrictive in every respect: level,
 * SCI compartments, SAP, AEA, FGI, propagating controls and releasability. FOUO and CUI
 * categories are covered by any classified marking; FOUO is also covered by CUI.
 */
export function dominates(a: Marking, b: Marking, policy: MarkingPolicy = DEFAULT_POLICY): boolean {
  const la = toLattice(a, policy);
  const lb = toLattice(b, policy);
  const classifiedA = la.level > 0;
  // CUI replaced FOUO, so an unclassified CUI marking covers a FOUO portion.
  const flagsCovered = [...lb.flags].every(
    (f) =>
      la.flags.has(f) ||
      (classifiedA && ['FOUO', 'FEDCON', 'NOCON', 'DL ONLY'].includes(f)) ||
      (la.cui && f === 'FOUO'),
  );
  const cuiCovered =
    classifiedA || ((la.cui || !lb.cui) && [...lb.cuiCategories].every((c) => la.cuiCategories.has(c)));
  const fgiCovered =
    !lb.fgi || (la.fgi !== null && (la.fgi.concealed || [...lb.fgi.countries].every((c) => la.fgi!.countries.has(c))));
  const relidoRank = (r: Lattice['relido']) => (r === false ? 0 : r === true ? 1 : 2);
  return (
    accessCovers(la, lb) &&
    flagsCovered &&
    cuiCovered &&
    fgiCovered &&
    subset(la.release, lb.release) &&
    subset(la.disclosable, lb.disclosable) &&
    relidoRank(la.relido) <= relidoRank(lb.relido)
  );
}

/**
 * What a system accredited at `systemHigh` may hold: level, SCI compartments, SAP programs and
 * AEA at or under its own. Dissemination controls describe who may receive information, not how
 * high it is, so they do not count here.
 */
export function withinSystemHigh(
  systemHigh: Marking,
  object: Marking,
  policy: MarkingPolicy = DEFAULT_POLICY,
): boolean {
  return accessCovers(toLattice(systemHigh, policy), toLattice(object, policy));
}

/** Where an export bundle may go: the destination's accreditation and the country of its people. */
export interface DestinationProfile {
  name: string;
  /** The destination network's system high. */
  systemHigh: Marking;
  /** The trigraph of the nation that operates it ('USA' for US networks). */
  country: string;
}

export type DestinationFit = { fits: true } | { fits: false; reason: string };

/** Whether an object may be exported to a destination: it must be within its system high and releasable to its country. */
export function fitsDestination(
  object: Marking,
  destination: DestinationProfile,
  policy: MarkingPolicy = DEFAULT_POLICY,
): DestinationFit {
  if (!withinSystemHigh(destination.systemHigh, object, policy)) {
    const tooHigh =
      CLASSIFICATION_RANK[object.classification] > CLASSIFICATION_RANK[destination.systemHigh.classification];
    return {
      fits: false,
      reason: tooHigh
        ? `${destination.name} is accredited only to a lower classification`
        : `${destination.name} lacks a compartment, program or AEA access the object needs`,
    };
  }
  if (destination.country !== 'USA') {
    const release = toLattice(object, policy).release;
    if (release !== 'ALL' && !release.has(destination.country))
      return { fits: false, reason: `the object is not releasable to ${destination.country}` };
  }
  return { fits: true };
}
