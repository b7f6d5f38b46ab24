import { ExpressionError, namesIn, type Node } from './ast';
import { parseExpression } from './parse';

export interface FormulaSpec {
  name: string;
  expr: string;
}

export interface FormulaIssue {
  formula: string;
  kind: 'parse' | 'unknown-name' | 'cycle' | 'duplicate';
  message: string;
  /** Offset in the formula's expression, where there is one. */
  position?: number;
  /** A cycle's names in order, back to the first (total, margin, total). */
  path?: string[];
  /** An unknown name (kind 'unknown-name'). */
  name?: string;
}

export interface OrderedFormula {
  name: string;
  tree: Node;
  dependsOn: string[];
}

/**
 * Parses every formula, resolves names against inputs and other formulas, and orders formulas
 * so each comes after what it uses. Reports every parse error, unknown name (with its position)
 * and dependency cycle (with its path, e.g. total → margin → total).
 */
export function orderFormulas(
  inputs: readonly string[],
  formulas: readonly FormulaSpec[],
): { ordered: OrderedFormula[]; issues: FormulaIssue[] } {
  const issues: FormulaIssue[] = [];
  const parsed = new Map<string, OrderedFormula>();
  const known = new Set(inputs);
  for (const formula of formulas) {
    if (known.has(formula.name) || parsed.has(formula.name)) {
      issues.push({ formula: formula.name, kind: 'duplicate', message: `${formula.name} is defined more than once` });
      continue;
    }
    try {
      const tree = parseExpression(formula.expr);
      parsed.set(formula.name, { name: formula.name, tree, dependsOn: namesIn(tree) });
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      issues.push({
        formula: formula.name,
        kind: 'parse',
        message: `${formula.name}: ${error.issue.message}`,
        position: error.issue.position,
      });
    }
  }
  for (const formula of parsed.values()) {
    for (const name of formula.dependsOn) {
      if (known.has(name) || parsed.has(name)) continue;
      const position = findName(formula.tree, name);
      issues.push({
        formula: formula.name,
        kind: 'unknown-name',
        message: `${formula.name}: "${name}" is not an input or a formula`,
        name,
        ...(position === undefined ? {} : { position }),
      });
    }
  }

  const ordered: OrderedFormula[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (name: string) => {
    const formula = parsed.get(name);
    if (!formula || state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(name)), name];
      const key = [...cycle].slice(0, -1).sort().join(',');
      if (!reported.has(key)) {
        reported.add(key);
        issues.push({
          formula: name,
          kind: 'cycle',
          message: `formulas depend on each other in a cycle: ${cycle.join(' → ')}`,
          path: cycle,
        });
      }
      return;
    }
    state.set(name, 'visiting');
    stack.push(name);
    for (const dependency of formula.dependsOn) visit(dependency);
    stack.pop();
    state.set(name, 'done');
    ordered.push(formula);
  };
  for (const name of parsed.keys()) visit(name);
  return { ordered, issues };
}

function findName(node: Node, name: string): number | undefined {
  switch (node.kind) {
    case 'name':
      return node.name === name ? node.at : undefined;
    case 'unary':
      return findName(node.operand, name);
    case 'binary':
      return findName(node.left, name) ?? findName(node.right, name);
    case 'call':
      for (const arg of node.args) {
        const found = findName(arg, name);
        if (found !== undefined) return found;
      }
      return undefined;
    case 'number':
      return undefined;
  }
}
