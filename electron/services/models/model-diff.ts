import type { z } from 'zod';
import type { ModelChangeSchema } from '../../../common/ipc/contract';
import type { Model } from '../../../common/model/model';

export type ModelChange = z.infer<typeof ModelChangeSchema>;
type Tree = { [key: string]: Tree | unknown };

const SHOWN = 2000;
const shown = (value: unknown) => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > SHOWN ? `${text.slice(0, SHOWN - 1)}…` : text;
};

/**
 * The model as a tree keyed by what an analyst calls things: inputs, formulas and outputs by name,
 * correlations by their pair (a~b, in name order), so a reordering is not a change.
 */
function keyed(model: Model): Tree {
  const pair = (a: string, b: string) => (a < b ? `${a}~${b}` : `${b}~${a}`);
  return {
    name: model.name,
    marking: model.marking,
    description: model.description,
    inputs: Object.fromEntries(model.inputs.map(({ name, ...rest }) => [name, rest])),
    correlations: Object.fromEntries(model.correlations.map(({ a, b, ...rest }) => [pair(a, b), rest])),
    formulas: Object.fromEntries(model.formulas.map(({ name, ...rest }) => [name, rest])),
    outputs: Object.fromEntries(model.outputs.map((name) => [name, { marking: model.outputMarkings?.[name] } as Tree])),
  };
}

const isTree = (value: unknown): value is Tree => value !== null && typeof value === 'object' && !Array.isArray(value);

function walk(before: unknown, after: unknown, path: string, changes: ModelChange[]) {
  if (isTree(before) && isTree(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    for (const key of keys) walk(before[key], after[key], path ? `${path}.${key}` : key, changes);
    return;
  }
  if (before === undefined && after === undefined) return;
  if (before === undefined) changes.push({ path, kind: 'added', after: shown(after) });
  else if (after === undefined) changes.push({ path, kind: 'removed', before: shown(before) });
  else if (JSON.stringify(before) !== JSON.stringify(after))
    changes.push({ path, kind: 'changed', before: shown(before), after: shown(after) });
}

/** Added, removed and changed items between two versions, each with its path ("inputs.cost.dist.sd"). */
export function diffModels(before: Model, after: Model): ModelChange[] {
  const changes: ModelChange[] = [];
  walk(keyed(before), keyed(after), '', changes);
  return changes;
}
