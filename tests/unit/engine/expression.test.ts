import { describe, expect, it } from 'vitest';
import { ExpressionError } from '../../../common/engine/expression/ast';
import { compileExpression } from '../../../common/engine/expression/compile';
import { orderFormulas } from '../../../common/engine/expression/graph';
import { parseExpression } from '../../../common/engine/expression/parse';

function evaluate(expr: string, values: Record<string, number[]> = {}): number[] {
  const names = Object.keys(values);
  const length = names.length ? values[names[0]!]!.length : 1;
  const fn = compileExpression(parseExpression(expr), new Map(names.map((n, i) => [n, i])), 8);
  return [
    ...fn(
      names.map((n) => Float64Array.from(values[n]!)),
      length,
    ).subarray(0, length),
  ];
}

function parseError(expr: string): { message: string; position: number } {
  try {
    parseExpression(expr);
  } catch (error) {
    if (error instanceof ExpressionError) return error.issue;
    throw error;
  }
  throw new Error(`expected ${expr} to fail`);
}

describe('expressions', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['2 ^ 3 ^ 2', 512],
    ['-2 ^ 2', -4],
    ['10 / 4', 2.5],
    ['1e3 + .5', 1000.5],
    ['3 > 2', 1],
    ['3 <= 2', 0],
    ['2 == 2', 1],
    ['2 != 2', 0],
    ['if(1 > 2, 10, 20)', 20],
    ['min(4, 2, 8)', 2],
    ['max(4, 2, 8)', 8],
    ['abs(-3)', 3],
    ['exp(0)', 1],
    ['ln(exp(2))', 2],
    ['log10(1000)', 3],
    ['sqrt(16)', 4],
    ['pow(2, 10)', 1024],
    ['round(2.5)', 3],
    ['round(-2.5)', -3],
    ['round(1.2345, 2)', 1.23],
    ['round(1250, -2)', 1300],
    ['round(1.005, 2)', 1.01],
    ['round(-1.005, 2)', -1.01],
    ['floor(-1.5)', -2],
    ['ceil(1.2)', 2],
    ['MAX(1, 2)', 2],
  ])('%s = %d', (expr, expected) => {
    expect(evaluate(expr)[0]).toBeCloseTo(expected, 12);
  });

  it('evaluates whole blocks over named columns', () => {
    expect(evaluate('cost * (1 + delay / 100)', { cost: [10, 20, 30], delay: [0, 50, 100] })).toEqual([10, 30, 60]);
    expect(evaluate('if(x > 0, x, 0)', { x: [-1, 0, 2] })).toEqual([0, 0, 2]);
  });

  it.each([
    ['1 +', 'expected a number, a name or "(" but found the end of the expression', 3],
    ['(1 + 2', 'expected ")" but found the end of the expression', 6],
    ['1 + * 2', 'expected a number, a name or "(" but found "*"', 4],
    ['cost = 3', 'use == to compare', 5],
    ['cost # 3', 'unexpected character "#"', 5],
    ['foo(1)', 'unknown function foo()', 0],
    ['if(1, 2)', 'if() takes 3 arguments, not 2', 0],
    ['sqrt(1, 2)', 'sqrt() takes 1 argument, not 2', 0],
    ['1 2', 'unexpected "2" after a complete expression', 2],
    ['1 < 2 < 3', 'comparisons cannot be chained', 6],
    ['max()', 'max() takes 1 to 64 arguments, not 0', 0],
  ])('reports a parse error for %j: %s at %i', (expr, message, position) => {
    const issue = parseError(expr);
    expect(issue.message).toContain(message);
    expect(issue.position).toBe(position);
  });

  it('takes nesting up to 64 levels', () => {
    expect(evaluate(`${'('.repeat(64)}2${')'.repeat(64)}`)).toEqual([2]);
    expect(evaluate(`${'-'.repeat(64)}2`)).toEqual([2]);
    expect(evaluate(`${'abs('.repeat(63)}-2${')'.repeat(63)}`)).toEqual([2]);
    // A long sum is not nesting: the parser loops over its terms.
    expect(evaluate(Array(3000).fill('1').join('+'))).toEqual([3000]);
  });

  it.each([
    ['parentheses', `${'('.repeat(4999)}1${')'.repeat(4999)}`, 64],
    ['unary minuses', `${'-'.repeat(9999)}1`, 64],
    ['function calls', `${'abs('.repeat(1999)}1${')'.repeat(1999)}`, 256],
    ['powers', Array(4000).fill('2').join('^'), 129],
    ['a mix', `${'-('.repeat(40)}1${')'.repeat(40)}`, 64],
  ])('refuses %s nested deeper than 64 levels, with the position, not a stack overflow', (_, expr, position) => {
    expect(parseError(expr)).toEqual({ message: 'nesting deeper than 64 levels', position });
  });
});

describe('formula graph', () => {
  it('orders formulas after what they use', () => {
    const { ordered, issues } = orderFormulas(
      ['cost', 'delay'],
      [
        { name: 'total', expr: 'adjusted + contingency' },
        { name: 'contingency', expr: 'adjusted * 0.1' },
        { name: 'adjusted', expr: 'cost * (1 + delay / 100)' },
      ],
    );
    expect(issues).toEqual([]);
    expect(ordered.map((f) => f.name)).toEqual(['adjusted', 'contingency', 'total']);
  });

  it('reports unknown names with their position', () => {
    const { issues } = orderFormulas(['cost'], [{ name: 'total', expr: 'cost + shipping * 2' }]);
    expect(issues).toEqual([
      {
        formula: 'total',
        kind: 'unknown-name',
        message: 'total: "shipping" is not an input or a formula',
        name: 'shipping',
        position: 7,
      },
    ]);
  });

  it('reports each cycle once, with its path', () => {
    const { issues } = orderFormulas(
      ['cost'],
      [
        { name: 'total', expr: 'margin + cost' },
        { name: 'margin', expr: 'total * 0.2' },
        { name: 'selfish', expr: 'selfish + 1' },
      ],
    );
    expect(issues).toEqual([
      {
        formula: 'total',
        kind: 'cycle',
        message: 'formulas depend on each other in a cycle: total → margin → total',
        path: ['total', 'margin', 'total'],
      },
      {
        formula: 'selfish',
        kind: 'cycle',
        message: 'formulas depend on each other in a cycle: selfish → selfish',
        path: ['selfish', 'selfish'],
      },
    ]);
  });

  it('reports parse errors and duplicates by formula', () => {
    const { issues } = orderFormulas(
      ['cost'],
      [
        { name: 'a', expr: 'cost +' },
        { name: 'cost', expr: '1' },
      ],
    );
    expect(issues).toEqual([
      {
        formula: 'a',
        kind: 'parse',
        message: 'a: expected a number, a name or "(" but found the end of the expression',
        position: 6,
      },
      { formula: 'cost', kind: 'duplicate', message: 'cost is defined more than once' },
    ]);
  });
});
