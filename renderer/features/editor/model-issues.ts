import { structuralErrors } from '../../../common/engine/build-model';
import { orderFormulas, type FormulaIssue } from '../../../common/engine/expression/graph';
import { ModelSchema, type Model } from '../../../common/model/model';
import { describeFormulaIssue } from './formula-words';

/**
 * Every problem of the document being edited, at once: the schema's (parameters, names, limits)
 * by the path of the field they belong to, so each shows beside its field, and the formulas' parse
 * errors, unknown names and cycles with their positions and paths.
 */
export interface ModelIssues {
  /** By field path, "inputs.0.dist.sd", "formulas.1.name": the message shown next to that field. */
  fields: Map<string, string>;
  formulas: FormulaIssue[];
  /** Every problem in plain words, for the list under the editor. */
  all: string[];
}

export function modelIssues(doc: Model): ModelIssues {
  const fields = new Map<string, string>();
  const all: string[] = [];
  const parsed = ModelSchema.safeParse(doc);
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join('.');
      const message = EMPTY_LISTS[path] && issue.code === 'too_small' ? EMPTY_LISTS[path] : issue.message;
      if (!fields.has(path)) fields.set(path, message);
      all.push(`${describePath(doc, issue.path)}: ${message}`);
    }
  const names = { inputs: doc.inputs.map((i) => i.name), formulas: doc.formulas.map((f) => f.name) };
  const { issues: formulas } = orderFormulas(
    names.inputs,
    doc.formulas.map((f) => ({ name: f.name, expr: f.expr })),
  );
  // The formulas' problems in the editor's words (positions counted from 1, as the field shows them);
  // the engine's own lines for them are left out so each problem is listed once.
  for (const issue of formulas) {
    const text = describeFormulaIssue(issue, names);
    all.push(issue.kind === 'cycle' ? `formulas: ${text}` : `formulas.${issue.formula}: ${text}`);
  }
  for (const error of structuralErrors(doc))
    if (!error.startsWith('formulas.') && !all.includes(error)) all.push(error);
  return { fields, formulas, all };
}

const EMPTY_LISTS: Record<string, string> = {
  inputs: 'add at least one input',
  outputs: 'choose at least one output',
};

/** "inputs.cost.dist.sd" for ["inputs", 0, "dist", "sd"]: items by their names, as analysts call them. */
function describePath(doc: Model, path: readonly PropertyKey[]): string {
  const parts = path.map((part, i) => {
    const list = path[i - 1];
    if (typeof part !== 'number') return String(part);
    if (list === 'inputs') return doc.inputs[part]?.name || `#${part + 1}`;
    if (list === 'formulas') return doc.formulas[part]?.name || `#${part + 1}`;
    if (list === 'correlations') {
      const c = doc.correlations[part];
      return c ? `${c.a}~${c.b}` : `#${part + 1}`;
    }
    return `#${part + 1}`;
  });
  return parts.join('.') || 'model';
}
