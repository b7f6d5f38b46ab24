/** Formula expressions: arithmetic, comparisons, if(), and the functions analysts expect from a spreadsheet. */
export type Node =
  | { kind: 'number'; value: number; at: number }
  | { kind: 'name'; name: string; at: number }
  | { kind: 'unary'; op: '-' | '+'; operand: Node; at: number }
  | { kind: 'binary'; op: BinaryOp; left: Node; right: Node; at: number }
  | { kind: 'call'; fn: FunctionName; args: Node[]; at: number };

export type BinaryOp = '+' | '-' | '*' | '/' | '^' | '<' | '<=' | '>' | '>=' | '==' | '!=';

/** Function name → [min arguments, max arguments]. */
export const FUNCTIONS = {
  if: [3, 3],
  min: [1, 64],
  max: [1, 64],
  abs: [1, 1],
  exp: [1, 1],
  ln: [1, 1],
  log10: [1, 1],
  sqrt: [1, 1],
  pow: [2, 2],
  round: [1, 2],
  floor: [1, 1],
  ceil: [1, 1],
} as const satisfies Record<string, readonly [number, number]>;
export type FunctionName = keyof typeof FUNCTIONS;

export interface ExpressionIssue {
  message: string;
  /** 0-based offset in the expression text. */
  position: number;
}

export class ExpressionError extends Error {
  override name = 'ExpressionError';
  constructor(readonly issue: ExpressionIssue) {
    super(`${issue.message} (at ${issue.position})`);
  }
}

/** Every name an expression refers to, in order of first use. */
export function namesIn(node: Node, out: string[] = []): string[] {
  switch (node.kind) {
    case 'name':
      if (!out.includes(node.name)) out.push(node.name);
      break;
    case 'unary':
      namesIn(node.operand, out);
      break;
    case 'binary':
      namesIn(node.left, out);
      namesIn(node.right, out);
      break;
    case 'call':
      for (const arg of node.args) namesIn(arg, out);
      break;
    case 'number':
      break;
  }
  return out;
}
