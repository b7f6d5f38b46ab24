import { FUNCTIONS } from './ast';

/**
 * What the model editor's formula field needs beyond the parser: a lenient split of the text into
 * coloured pieces (it never throws, so half-typed formulas still highlight), and the names that
 * complete the word at the cursor.
 */
export type TokenKind =
  'number' | 'input' | 'formula' | 'function' | 'unknown' | 'operator' | 'paren' | 'space' | 'bad';

export interface HighlightToken {
  kind: TokenKind;
  text: string;
  at: number;
}

export interface KnownNames {
  inputs: readonly string[];
  formulas: readonly string[];
}

const PIECE = /\s+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[A-Za-z_][A-Za-z0-9_]*|<=|>=|==|!=|[-+*/^<>,]|[()]/y;

/** The formula's text in pieces, each kind a colour; text the parser would refuse is 'bad'. */
export function highlightTokens(text: string, names: KnownNames): HighlightToken[] {
  const inputs = new Set(names.inputs);
  const formulas = new Set(names.formulas);
  const tokens: HighlightToken[] = [];
  let i = 0;
  while (i < text.length) {
    PIECE.lastIndex = i;
    const match = PIECE.exec(text);
    if (!match) {
      tokens.push({ kind: 'bad', text: text[i]!, at: i });
      i++;
      continue;
    }
    const piece = match[0];
    let kind: TokenKind;
    if (/^\s/.test(piece)) kind = 'space';
    else if (/^[\d.]/.test(piece)) kind = 'number';
    else if (/^[A-Za-z_]/.test(piece)) {
      const rest = text.slice(i + piece.length);
      if (/^\s*\(/.test(rest) && piece.toLowerCase() in FUNCTIONS) kind = 'function';
      else if (inputs.has(piece)) kind = 'input';
      else if (formulas.has(piece)) kind = 'formula';
      else kind = 'unknown';
    } else if (piece === '(' || piece === ')') kind = 'paren';
    else kind = 'operator';
    tokens.push({ kind, text: piece, at: i });
    i += piece.length;
  }
  return tokens;
}

export interface Completion {
  /** The word being completed: text[from, to) is replaced. */
  from: number;
  to: number;
  candidates: { name: string; kind: 'input' | 'formula' | 'function'; insert: string }[];
}

/**
 * The names that complete the word ending at `cursor`: inputs, formulas (less `exclude`, the
 * formula being edited) and functions, those starting with the word first, then those containing
 * it, each group in name order. A function inserts its name and "(".
 */
export function completeName(
  text: string,
  cursor: number,
  names: KnownNames,
  exclude?: string,
  limit = 12,
): Completion | null {
  let from = cursor;
  while (from > 0 && /[A-Za-z0-9_]/.test(text[from - 1]!)) from--;
  let to = cursor;
  while (to < text.length && /[A-Za-z0-9_]/.test(text[to]!)) to++;
  const word = text.slice(from, cursor);
  if (/^\d/.test(word)) return null;
  const lower = word.toLowerCase();
  const all = [
    ...names.inputs.map((name) => ({ name, kind: 'input' as const, insert: name })),
    ...names.formulas.filter((n) => n !== exclude).map((name) => ({ name, kind: 'formula' as const, insert: name })),
    ...Object.keys(FUNCTIONS).map((name) => ({ name, kind: 'function' as const, insert: `${name}(` })),
  ];
  const starting = all.filter((c) => c.name.toLowerCase().startsWith(lower));
  const containing = all.filter((c) => !c.name.toLowerCase().startsWith(lower) && c.name.toLowerCase().includes(lower));
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  const candidates = [...starting.sort(byName), ...containing.sort(byName)]
    .filter((c) => c.name !== word)
    .slice(0, limit);
  return candidates.length > 0 ? { from, to, candidates } : null;
}
