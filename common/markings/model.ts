/**
 * The typed marking model: one US classification marking (banner or portion) or a CUI marking.
 * Lists are kept in canonical order by the parser and by `normalize`, so two equal markings are
 * structurally equal. Sources: ODNI CAPCO Register and Manual; IC-ISM (ODNI XML ISM); DoDI 5200.48
 * and the DoD CUI Registry for CUI.
 */
export type Classification = 'U' | 'C' | 'S' | 'TS';
export const CLASSIFICATION_RANK: Readonly<Record<Classification, number>> = { U: 0, C: 1, S: 2, TS: 3 };

/** An SCI control system (SI, TK, HCS, …) with its compartments and their sub-compartments. */
export interface SciControl {
  system: string;
  compartments: { name: string; subs: string[] }[];
}

/** Dissemination controls (and, for CUI, limited-dissemination controls) other than REL TO and DISPLAY ONLY. */
export type DissemFlag =
  'RSEN' | 'FOUO' | 'ORCON' | 'IMCON' | 'NOFORN' | 'PROPIN' | 'RELIDO' | 'FISA' | 'FEDCON' | 'NOCON' | 'DL ONLY';

export interface Marking {
  classification: Classification;
  /** Present for CUI markings (classification U): specified (SP-…) and basic categories. */
  cui: { categories: string[] } | null;
  sci: SciControl[];
  /** Special access program identifiers, without the SAR- prefix. */
  sap: string[];
  aea: { kind: 'RD' | 'FRD'; cnwdi: boolean } | null;
  /** Foreign government information; an empty list is FGI with the source concealed. */
  fgi: { countries: string[] } | null;
  dissem: DissemFlag[];
  /** REL TO countries and tetragraphs other than USA (USA is always first and implied). */
  relTo: string[] | null;
  displayOnly: string[] | null;
}

export const UNCLASSIFIED: Marking = {
  classification: 'U',
  cui: null,
  sci: [],
  sap: [],
  aea: null,
  fgi: null,
  dissem: [],
  relTo: null,
  displayOnly: null,
};

export interface MarkingIssue {
  message: string;
  /** 0-based character offset in the text that was parsed (0 for markings built in code). */
  position: number;
  token: string;
}

export class MarkingError extends Error {
  override name = 'MarkingError';
  constructor(readonly issues: MarkingIssue[]) {
    super(issues.map((i) => (i.token ? `"${i.token}" at ${i.position}: ${i.message}` : i.message)).join('; '));
  }
}
