import { ExpressionError, FUNCTIONS, type BinaryOp, type FunctionName, type Node } from './ast';

interface Token {
  type: 'number' | 'name' | 'op' | '(' | ')' | ',' | 'end';
  text: string;
  at: number;
}

const OPERATORS = ['<=', '>=', '==', '!=', '+', '-', '*', '/', '^', '<', '>'];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const number = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (number) {
      tokens.push({ type: 'number', text: number[0], at: i });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (name) {
      tokens.push({ type: 'name', text: name[0], at: i });
      i += name[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ type: 'op', text: op, at: i });
      i += op.length;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ type: ch, text: ch, at: i });
      i++;
      continue;
    }
    throw new ExpressionError({
      message: ch === '=' ? 'use == to compare' : `unexpected character "${ch}"`,
      position: i,
    });
  }
  tokens.push({ type: 'end', text: '', at: text.length });
  return tokens;
}

// Binding power: comparisons < additive < multiplicative < unary < power (right-associative).
const BINARY: Record<string, { power: number; right?: boolean }> = {
  '<': { power: 1 },
  '<=': { power: 1 },
  '>': { power: 1 },
  '>=': { power: 1 },
  '==': { power: 1 },
  '!=': { power: 1 },
  '+': { power: 2 },
  '-': { power: 2 },
  '*': { power: 3 },
  '/': { power: 3 },
  '^': { power: 5, right: true },
};
const UNARY_POWER = 4;

/**
 * Deepest nesting a formula may have: parentheses, unary signs, function calls and chained powers
 * each count a level. The parser recurses once per level, so without a limit a crafted formula
 * (thousands of "(" or "-") overflows the stack; no analyst's formula comes near 64.
 */
export const MAX_NESTING = 64;

/** Parses a formula into a tree; errors carry the position of the offending token. */
export function parseExpression(text: string): Node {
  if (text.length > 10_000)
    throw new ExpressionError({ message: 'an expression is at most 10,000 characters', position: 10_000 });
  const tokens = tokenize(text);
  let index = 0;
  const peek = () => tokens[index]!;
  const next = () => tokens[index++]!;
  const describe = (token: Token) => (token.type === 'end' ? 'the end of the expression' : `"${token.text}"`);
  let depth = 0;

  /** Parses one nested level opened by the token at `at`, refusing past MAX_NESTING. */
  function nested<T>(at: number, parse: () => T): T {
    if (depth >= MAX_NESTING)
      throw new ExpressionError({ message: `nesting deeper than ${MAX_NESTING} levels`, position: at });
    depth++;
    try {
      return parse();
    } finally {
      depth--;
    }
  }

  function expect(type: Token['type'], what: string): Token {
    const token = next();
    if (token.type !== type)
      throw new ExpressionError({ message: `expected ${what} but found ${describe(token)}`, position: token.at });
    return token;
  }

  function primary(): Node {
    const token = next();
    if (token.type === 'number') {
      const value = Number(token.text);
      if (!Number.isFinite(value))
        throw new ExpressionError({ message: `${token.text} is too large`, position: token.at });
      return { kind: 'number', value, at: token.at };
    }
    if (token.type === 'op' && (token.text === '-' || token.text === '+')) {
      return { kind: 'unary', op: token.text, operand: nested(token.at, () => expression(UNARY_POWER)), at: token.at };
    }
    if (token.type === '(') {
      return nested(token.at, () => {
        const inner = expression(0);
        expect(')', '")"');
        return inner;
      });
    }
    if (token.type === 'name') {
      if (peek().type !== '(') return { kind: 'name', name: token.text, at: token.at };
      const fn = token.text.toLowerCase();
      if (!(fn in FUNCTIONS))
        throw new ExpressionError({
          message: `unknown function ${token.text}(): expected one of ${Object.keys(FUNCTIONS).join(', ')}`,
          position: token.at,
        });
      next();
      const args: Node[] = [];
      nested(token.at, () => {
        if (peek().type !== ')') {
          do args.push(expression(0));
          while (peek().type === ',' && next());
        }
        expect(')', '"," or ")"');
      });
      const [min, max] = FUNCTIONS[fn as FunctionName];
      if (args.length < min || args.length > max) {
        const wanted = min === max ? `${min}` : `${min} to ${max}`;
        throw new ExpressionError({
          message: `${fn}() takes ${wanted} argument${max === 1 ? '' : 's'}, not ${args.length}`,
          position: token.at,
        });
      }
      return { kind: 'call', fn: fn as FunctionName, args, at: token.at };
    }
    throw new ExpressionError({
      message: `expected a number, a name or "(" but found ${describe(token)}`,
      position: token.at,
    });
  }

  function expression(minPower: number): Node {
    let left = primary();
    for (;;) {
      const token = peek();
      const spec = token.type === 'op' ? BINARY[token.text] : undefined;
      if (!spec || spec.power < minPower) break;
      if (spec.power === 1 && left.kind === 'binary' && BINARY[left.op]!.power === 1) {
        throw new ExpressionError({
          message: 'comparisons cannot be chained: combine them with if()',
          position: token.at,
        });
      }
      next();
      // A right-associative chain (2^2^2…) recurses once per operator: each counts as a level.
      const right = spec.right ? nested(token.at, () => expression(spec.power)) : expression(spec.power + 1);
      left = { kind: 'binary', op: token.text as BinaryOp, left, right, at: token.at };
    }
    return left;
  }

  const tree = expression(0);
  const rest = peek();
  if (rest.type !== 'end')
    throw new ExpressionError({
      message: `unexpected ${describe(rest)} after a complete expression`,
      position: rest.at,
    });
  return tree;
}
