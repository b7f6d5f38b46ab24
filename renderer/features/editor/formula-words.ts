import type { KnownNames } from '../../../common/engine/expression/complete';
import type { FormulaIssue } from '../../../common/engine/expression/graph';

/** Edit distance (Levenshtein) of two short names. */
export function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/** The known name a misspelt one most likely meant: within two edits (one for short names), else null. */
export function closestName(word: string, names: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = word.length <= 4 ? 2 : 3;
  for (const name of names) {
    const d = editDistance(word.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

/** A formula problem in plain words, with where it is and, for a misspelt name, the likely one. */
export function describeFormulaIssue(issue: FormulaIssue, names: KnownNames): string {
  const where = issue.position === undefined ? '' : ` (at character ${issue.position + 1})`;
  switch (issue.kind) {
    case 'cycle':
      return `${issue.path?.join(' → ') ?? issue.message}: these formulas depend on each other in a cycle`;
    case 'unknown-name': {
      const guess = issue.name ? closestName(issue.name, [...names.inputs, ...names.formulas]) : null;
      return `"${issue.name ?? '?'}" is not an input or a formula${where}${guess ? ` — did you mean ${guess}?` : ''}`;
    }
    case 'parse':
      return `${issue.message.replace(/^[^:]*: /, '')}${where}`;
    case 'duplicate':
      return issue.message;
  }
}
