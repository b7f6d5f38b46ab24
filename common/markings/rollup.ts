import type { DissemFlag, Marking } from './model';
import { UNCLASSIFIED } from './model';
import { DEFAULT_POLICY, type MarkingPolicy } from './marking-policy';
import { fromLattice, join, toLattice, type Lattice } from './lattice';
import { DISSEM_CONTROLS } from './vocabulary';

/** Portions whose controls no single unclassified banner can carry; the user must re-mark them. */
export class MarkingRollupError extends Error {
  override name = 'MarkingRollupError';
}

const LEGACY_US_ONLY = new Set<DissemFlag>(
  DISSEM_CONTROLS.filter((d) => d.scope === 'us' && d.flag !== 'FOUO').map((d) => d.flag),
);

/**
 * An unclassified roll-up with CUI cannot also carry the legacy US-only controls (RSEN, ORCON,
 * IMCON, PROPIN, RELIDO, FISA): the CUI program replaced them, and no valid banner holds both.
 * FOUO is different: CUI replaced it outright, so it simply drops out.
 */
function legacyControlsBesideCui(l: Lattice): string[] {
  if (l.level > 0 || !l.cui) return [];
  const legacy: string[] = [...l.flags].filter((f) => LEGACY_US_ONLY.has(f));
  if (l.relido === true) legacy.push('RELIDO');
  return legacy;
}

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
 * - FOUO and the CUI markings drop out of a classified banner, and FOUO drops out beside CUI;
 *   FGI with a concealed source anywhere is FGI without countries.
 * Throws MarkingRollupError when unclassified CUI portions meet legacy US-only controls.
 */
export function rollup(portions: readonly Marking[], policy: MarkingPolicy = DEFAULT_POLICY): Marking {
  if (portions.length === 0) return UNCLASSIFIED;
  const joined = portions.map((p) => toLattice(p, policy)).reduce(join);
  const legacy = legacyControlsBesideCui(joined);
  if (legacy.length > 0) {
    throw new MarkingRollupError(
      `CUI portions cannot share an unclassified banner with the legacy control${legacy.length > 1 ? 's' : ''} ${legacy.join(', ')}: re-mark those portions under CUI (or classify the document)`,
    );
  }
  return fromLattice(joined, policy);
}
