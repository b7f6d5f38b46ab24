import { normalize } from './format';
import {
  MarkingError,
  type Classification,
  type DissemFlag,
  type Marking,
  type MarkingIssue,
  type SciControl,
} from './model';
import { DEFAULT_POLICY, type MarkingPolicy } from './marking-policy';
import { checkMarking, type Positions } from './rules';
import { AEA_TITLES, CLASSIFICATIONS, DISSEM_CONTROLS } from './vocabulary';

/** A piece of the input with its offset, so errors can point at it. */
interface Piece {
  text: string;
  at: number;
}

export type ParseResult =
  { ok: true; marking: Marking; kind: 'banner' | 'portion' } | { ok: false; issues: MarkingIssue[] };

const CATEGORY_NAMES = [
  'classification',
  'SCI controls',
  'SAP markings',
  'atomic energy markings',
  'FGI markings',
  'dissemination controls',
];

function splitPieces(piece: Piece, separator: string): Piece[] {
  const out: Piece[] = [];
  let start = 0;
  for (;;) {
    const index = piece.text.indexOf(separator, start);
    const end = index === -1 ? piece.text.length : index;
    out.push({ text: piece.text.slice(start, end), at: piece.at + start });
    if (index === -1) return out;
    start = index + separator.length;
  }
}

class Parser {
  readonly issues: MarkingIssue[] = [];
  readonly positions: Positions = new Map();
  private readonly m: Marking = {
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

  constructor(private readonly policy: MarkingPolicy) {}

  fail(piece: Piece, message: string): void {
    this.issues.push({ message, position: piece.at, token: piece.text });
  }

  private inUse(piece: Piece, control: string): boolean {
    if (this.policy.controlsInUse.has(control)) return true;
    this.fail(piece, `${control} is not in use at this site`);
    return false;
  }

  parse(body: Piece): Marking | null {
    const segments = splitPieces(body, '//');
    for (const segment of segments) {
      if (segment.text.trim() === '') {
        this.fail(segment, 'empty category: expected a marking between the // separators');
        return null;
      }
      if (segment.text !== segment.text.trim()) this.fail(segment, 'unexpected space around //');
    }
    const [first, ...rest] = segments;
    if (!first || !this.classification(first)) return null;
    if (this.m.cui) this.cuiSegments(rest);
    else this.usSegments(rest);
    if (this.issues.length > 0) return null;
    this.issues.push(...checkMarking(this.m, this.positions, this.policy));
    return this.issues.length > 0 ? null : normalize(this.m);
  }

  private classification(piece: Piece): boolean {
    if (piece.text === 'CUI') {
      if (!this.inUse(piece, 'CUI')) return false;
      this.m.cui = { categories: [] };
      this.positions.set('classification', piece.at);
      return true;
    }
    const spec = CLASSIFICATIONS.find((c) => c.title === piece.text || c.abbrev === piece.text);
    if (!spec) {
      const hint = piece.text.toUpperCase() !== piece.text ? ' (markings are written in upper case)' : '';
      this.fail(
        piece,
        `expected a classification: UNCLASSIFIED (U), CONFIDENTIAL (C), SECRET (S), TOP SECRET (TS) or CUI${hint}`,
      );
      return false;
    }
    this.m.classification = spec.code as Classification;
    this.positions.set('classification', piece.at);
    return true;
  }

  private categoryOf(piece: Piece): number {
    const token = piece.text;
    if (token.startsWith('SAR-') || token.startsWith('SPECIAL ACCESS REQUIRED-')) return 2;
    if (/^(RD|FRD|RESTRICTED DATA|FORMERLY RESTRICTED DATA)(-|$)/.test(token)) return 3;
    if (token === 'FGI' || token.startsWith('FGI ')) return 4;
    if (this.dissemToken(token) !== null) return 5;
    if (this.policy.sciSystems.has(token.split(/[- ]/)[0] ?? '')) return 1;
    return -1;
  }

  private usSegments(segments: Piece[]): void {
    let last = 0;
    for (const segment of segments) {
      const tokens = splitPieces(segment, '/');
      const category = this.categoryOf(tokens[0]!);
      if (category === -1) {
        this.fail(
          tokens[0]!,
          `not a marking known to this site: expected an SCI control system (${[...this.policy.sciSystems].join(', ')}), SAR-, RD or FRD, FGI, or a dissemination control`,
        );
        return;
      }
      if (category <= last) {
        const message =
          category === last
            ? `${CATEGORY_NAMES[category]} appear in one category, separated by single /`
            : `${CATEGORY_NAMES[category]} come before ${CATEGORY_NAMES[last]}`;
        this.fail(tokens[0]!, message);
        return;
      }
      last = category;
      for (const token of tokens) {
        if (this.categoryOf(token) !== category) {
          this.fail(token, `expected another of the ${CATEGORY_NAMES[category]} here (categories are separated by //)`);
          return;
        }
        if (category === 1) this.sci(token);
        else if (category === 2) this.sap(token);
        else if (category === 3) this.aea(token, tokens.length);
        else if (category === 4) this.fgi(token);
        else this.dissem(token);
      }
    }
  }

  private cuiSegments(segments: Piece[]): void {
    let sawControls = false;
    segments.forEach((segment, index) => {
      const tokens = splitPieces(segment, '/');
      const isControls = this.dissemToken(tokens[0]!.text) !== null;
      if (!isControls && (index > 0 || sawControls)) {
        this.fail(
          tokens[0]!,
          'expected a limited-dissemination control (NOFORN, FEDCON, NOCON, DL ONLY, REL TO, DISPLAY ONLY)',
        );
        return;
      }
      if (isControls && sawControls) {
        this.fail(tokens[0]!, 'limited-dissemination controls appear in one category, separated by single /');
        return;
      }
      for (const token of tokens) {
        if (isControls) this.dissem(token);
        else if (/^(SP-)?[A-Z][A-Z0-9]{1,15}$/.test(token.text)) {
          if (this.m.cui!.categories.includes(token.text)) this.fail(token, `${token.text} appears twice`);
          this.m.cui!.categories.push(token.text);
          this.positions.set(`cui:${token.text}`, token.at);
        } else this.fail(token, 'expected a CUI category (such as PRVCY or SP-CTI) or a limited-dissemination control');
      }
      sawControls ||= isControls;
    });
  }

  private sci(token: Piece): void {
    if (!this.inUse(token, 'SCI')) return;
    const [system = '', ...compartments] = token.text.split('-');
    if (this.m.sci.some((c) => c.system === system)) {
      this.fail(token, `${system} appears twice: list its compartments together (${system}-A-B)`);
      return;
    }
    const control: SciControl = { system, compartments: [] };
    for (const compartment of compartments) {
      const [name = '', ...subs] = compartment.split(' ');
      if (!/^[A-Z0-9]{1,12}$/.test(name) || subs.some((s) => !/^[A-Z0-9]{1,12}$/.test(s))) {
        this.fail(
          token,
          `"${compartment}" is not a compartment: expected letters or digits, sub-compartments separated by spaces`,
        );
        return;
      }
      if (control.compartments.some((c) => c.name === name)) this.fail(token, `compartment ${name} appears twice`);
      control.compartments.push({ name, subs });
    }
    this.m.sci.push(control);
    this.positions.set(`sci:${system}`, token.at);
  }

  private sap(token: Piece): void {
    if (!this.inUse(token, 'SAP')) return;
    const id = token.text.replace(/^(SAR-|SPECIAL ACCESS REQUIRED-)/, '');
    if (!/^[A-Z0-9][A-Z0-9 ]{0,39}$/.test(id)) {
      this.fail(token, 'expected a program identifier after SAR- (letters, digits and spaces)');
      return;
    }
    if (this.m.sap.includes(id)) this.fail(token, `SAR-${id} appears twice`);
    this.m.sap.push(id);
    this.positions.set('sap', token.at);
  }

  private aea(token: Piece, count: number): void {
    if (!this.inUse(token, 'AEA')) return;
    if (count > 1) {
      this.fail(token, 'one atomic energy marking per marking: RESTRICTED DATA supersedes FORMERLY RESTRICTED DATA');
      return;
    }
    const forms: Record<string, Marking['aea']> = {
      RD: { kind: 'RD', cnwdi: false },
      [AEA_TITLES.RD]: { kind: 'RD', cnwdi: false },
      'RD-CNWDI': { kind: 'RD', cnwdi: true },
      [`${AEA_TITLES.RD}-${AEA_TITLES.CNWDI}`]: { kind: 'RD', cnwdi: true },
      FRD: { kind: 'FRD', cnwdi: false },
      [AEA_TITLES.FRD]: { kind: 'FRD', cnwdi: false },
    };
    const aea = forms[token.text];
    if (!aea) {
      this.fail(
        token,
        /^(FRD|FORMERLY RESTRICTED DATA)-/.test(token.text)
          ? 'CNWDI applies to RESTRICTED DATA only'
          : 'expected RD, RD-CNWDI or FRD',
      );
      return;
    }
    this.m.aea = aea;
    this.positions.set('aea', token.at);
  }

  private fgi(token: Piece): void {
    if (!this.inUse(token, 'FGI')) return;
    const codes = splitPieces({ text: token.text.slice(3), at: token.at + 3 }, ' ').slice(1);
    const countries: string[] = [];
    for (const code of codes) if (this.country(code, countries)) countries.push(code.text);
    this.m.fgi = { countries };
    this.positions.set('fgi', token.at);
  }

  /** The dissemination control a token names, or null. */
  private dissemToken(token: string): DissemFlag | 'REL TO' | 'DISPLAY ONLY' | null {
    if (token === 'REL' || token.startsWith('REL ')) return 'REL TO';
    if (token.startsWith('DISPLAY ONLY')) return 'DISPLAY ONLY';
    return (
      DISSEM_CONTROLS.find((d) => d.title === token || d.abbrev === token || d.aliases.includes(token))?.flag ?? null
    );
  }

  private dissem(token: Piece): void {
    const name = this.dissemToken(token.text);
    if (name === null) {
      this.fail(token, 'expected a dissemination control');
      return;
    }
    if (!this.inUse(token, name)) return;
    if (this.positions.has(`dissem:${name}`)) {
      this.fail(token, `${name} appears twice`);
      return;
    }
    this.positions.set(`dissem:${name}`, token.at);
    if (name === 'REL TO') this.relTo(token);
    else if (name === 'DISPLAY ONLY') this.displayOnly(token);
    else this.m.dissem.push(name);
  }

  private countryList(token: Piece, prefix: string): Piece[] | null {
    if (!token.text.startsWith(`${prefix} `)) {
      this.fail(token, `expected "${prefix}" followed by country codes separated by commas`);
      return null;
    }
    const list = { text: token.text.slice(prefix.length + 1), at: token.at + prefix.length + 1 };
    return splitPieces(list, ',').map((piece) => {
      const lead = piece.text.length - piece.text.trimStart().length;
      return { text: piece.text.trim(), at: piece.at + lead };
    });
  }

  private country(code: Piece, seen: string[]): boolean {
    const known =
      (code.text.length === 3 && this.policy.countries.has(code.text)) ||
      (code.text.length === 4 && code.text in this.policy.tetragraphs);
    if (!known) {
      this.fail(
        code,
        `${code.text === '' ? 'an empty entry' : code.text} is not an ISO 3166 trigraph or a tetragraph known to this site`,
      );
      return false;
    }
    if (seen.includes(code.text)) {
      this.fail(code, `${code.text} appears twice`);
      return false;
    }
    return true;
  }

  private relTo(token: Piece): void {
    const codes = this.countryList(token, 'REL TO');
    if (!codes) return;
    if (codes[0]?.text !== 'USA') {
      this.fail(codes[0] ?? token, 'REL TO needs USA first');
      return;
    }
    const countries: string[] = [];
    for (const code of codes.slice(1)) if (this.country(code, [...countries, 'USA'])) countries.push(code.text);
    if (codes.length === 1) this.fail(token, 'REL TO needs at least one country besides USA (use NOFORN for none)');
    this.m.relTo = countries;
  }

  private displayOnly(token: Piece): void {
    const codes = this.countryList(token, 'DISPLAY ONLY');
    if (!codes) return;
    const countries: string[] = [];
    for (const code of codes) {
      if (code.text === 'USA') this.fail(code, 'DISPLAY ONLY lists foreign countries: USA is implied');
      else if (this.country(code, countries)) countries.push(code.text);
    }
    this.m.displayOnly = countries;
  }
}

/**
 * Parses a banner line (`SECRET//NOFORN`, `S//NF`) or a portion mark (`(S//NF)`), full or
 * abbreviated, against a site's marking policy. Every error names the token, its position and
 * what was expected.
 */
export function parseMarking(text: string, policy: MarkingPolicy = DEFAULT_POLICY): ParseResult {
  const parser = new Parser(policy);
  if (text.length > 500)
    return { ok: false, issues: [{ message: 'a marking is at most 500 characters', position: 500, token: '' }] };
  const lead = text.length - text.trimStart().length;
  const trimmed = text.trim();
  if (trimmed === '')
    return {
      ok: false,
      issues: [{ message: 'expected a marking such as SECRET//NOFORN or (S//NF)', position: 0, token: '' }],
    };
  const portion = trimmed.startsWith('(');
  let body: Piece = { text: trimmed, at: lead };
  if (portion) {
    if (!trimmed.endsWith(')'))
      return {
        ok: false,
        issues: [{ message: 'a portion mark ends with ")"', position: lead + trimmed.length, token: '' }],
      };
    body = { text: trimmed.slice(1, -1), at: lead + 1 };
  } else if (trimmed.endsWith(')')) {
    return {
      ok: false,
      issues: [{ message: 'a portion mark starts with "("', position: lead, token: trimmed.slice(0, 1) }],
    };
  }
  const marking = parser.parse(body);
  return marking ? { ok: true, marking, kind: portion ? 'portion' : 'banner' } : { ok: false, issues: parser.issues };
}

/** parseMarking for callers that expect a valid marking: throws MarkingError with every issue. */
export function parseMarkingOrThrow(text: string, policy: MarkingPolicy = DEFAULT_POLICY): Marking {
  const result = parseMarking(text, policy);
  if (!result.ok) throw new MarkingError(result.issues);
  return result.marking;
}
