import { describe, expect, it } from 'vitest';
import { completeName, highlightTokens } from '../../../common/engine/expression/complete';
import { orderFormulas } from '../../../common/engine/expression/graph';
import { closestName, describeFormulaIssue } from '../../../renderer/features/editor/formula-words';

const names = { inputs: ['labour', 'materials', 'margin_rate'], formulas: ['total', 'margin'] };

describe('formula name completion', () => {
  it('completes the word at the cursor from inputs, formulas and functions, prefix matches first', () => {
    const text = 'ma';
    const found = completeName(text, 2, names)!;
    expect(found.from).toBe(0);
    expect(found.to).toBe(2);
    expect(found.candidates.map((c) => c.name)).toEqual(['margin', 'margin_rate', 'materials', 'max']);
    expect(found.candidates.find((c) => c.name === 'max')!.insert).toBe('max(');
  });

  it('completes a word in the middle of a formula and replaces all of it', () => {
    const text = 'labour + mat * 2';
    const found = completeName(text, 12, names)!;
    expect(text.slice(found.from, found.to)).toBe('mat');
    expect(found.candidates[0]!.name).toBe('materials');
  });

  it('leaves out the formula being edited and a number', () => {
    expect(completeName('tot', 3, names, 'total')).toBeNull();
    expect(completeName('12', 2, names)).toBeNull();
  });
});

describe('formula highlighting', () => {
  it('colours inputs, formulas, functions, unknown names, numbers and operators, and never throws', () => {
    const tokens = highlightTokens('max(labour, totl) * 1.5 = ', names).filter((t) => t.kind !== 'space');
    expect(tokens.map((t) => [t.text, t.kind])).toEqual([
      ['max', 'function'],
      ['(', 'paren'],
      ['labour', 'input'],
      [',', 'operator'],
      ['totl', 'unknown'],
      [')', 'paren'],
      ['*', 'operator'],
      ['1.5', 'number'],
      ['=', 'bad'],
    ]);
    // The pieces put back together are the text.
    const text = 'if(a>=b,1,0)^2 @ x';
    expect(
      highlightTokens(text, names)
        .map((t) => t.text)
        .join(''),
    ).toBe(text);
  });
});

describe('formula problems', () => {
  it('a typo is an unknown name at its position, with the likely name', () => {
    const { issues } = orderFormulas(names.inputs, [{ name: 'total', expr: 'labour + materals' }]);
    expect(issues).toHaveLength(1);
    expect(describeFormulaIssue(issues[0]!, names)).toBe(
      '"materals" is not an input or a formula (at character 10) — did you mean materials?',
    );
    expect(closestName('xyz', names.inputs)).toBeNull();
  });

  it('a cycle is shown with its path', () => {
    const { issues } = orderFormulas(names.inputs, [
      { name: 'total', expr: 'margin + labour' },
      { name: 'margin', expr: 'total * margin_rate' },
    ]);
    expect(issues.map((i) => describeFormulaIssue(i, names))).toEqual([
      'total → margin → total: these formulas depend on each other in a cycle',
    ]);
  });

  it('a parse error is shown at its position', () => {
    const { issues } = orderFormulas(names.inputs, [{ name: 'total', expr: 'labour * (materials + ' }]);
    expect(describeFormulaIssue(issues[0]!, names)).toBe(
      'expected a number, a name or "(" but found the end of the expression (at character 23)',
    );
  });
});
