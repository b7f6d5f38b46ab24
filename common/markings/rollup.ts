import type { Marking } from './model';
import { UNCLASSIFIED } from './model';
import { DEFAULT_POLICY, type MarkingPolicy } from './policy';
import { fromLattice, join, toLattice } from './lattice';

/**
 * Rolls portion marks up into the banner (CAPCO Manual, "Banner line" rules; IC-ISM roll-up):
 * - the highest classification;
 * - the union of SCI controls and compartments, SAP programs, FGI sources and the propagating
 *   dissemination controls (RSEN, ORCON, IMCON, PROPIN, FISA; FEDCON, NOCON, DL ONLY for CUI);
 * - RESTRICTED DATA supersedes FORMERLY RESTRICTED DATA; CNWDI carries;
 * - REL TO is the intersection of the portions' countries (a tetragraph stands for its members);
 *   an unclassified portion with no control does not narrow it;
 * - NOFORN when any portion is NOFORN, a classified portion has no release marking, a portion
 *   carries HCS, or the intersection is empty;
 * - RELIDO only when every portion that restricts release carries it;
 * - DISPLAY ONLY: countries every portion releases or displays to, less the REL TO countries;
 * - FOUO and the CUI markings drop out of a classified banner; FGI with a concealed source
 *   anywhere is FGI without countries.
 */
export function rollup(portions: readonly Marking[], policy: MarkingPolicy = DEFAULT_POLICY): Marking {
  if (portions.length === 0) return UNCLASSIFIED;
  const joined = portions.map((p) => toLattice(p, policy)).reduce(join);
  return fromLattice(joined, policy);
}
