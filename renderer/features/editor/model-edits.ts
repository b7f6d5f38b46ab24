import type { DistributionSpec } from '../../../common/engine/distributions/catalog';
import { highlightTokens } from '../../../common/engine/expression/complete';
import type { Model, ModelInput } from '../../../common/model/model';
import { galleryEntry } from './distributions';

/** The edits the editor makes to a model: each returns a new document and leaves the old one as it was (undo keeps it). */

/** A name not yet used by an input or formula: base, base_2, base_3… */
export function freeName(doc: Model, base: string): string {
  const used = new Set([...doc.inputs.map((i) => i.name), ...doc.formulas.map((f) => f.name)]);
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}_${i}`)) return `${base}_${i}`;
}

export function addInput(doc: Model): Model {
  const input: ModelInput = { name: freeName(doc, 'input'), dist: galleryEntry('normal').example };
  return { ...doc, inputs: [...doc.inputs, input] };
}

export function updateInput(doc: Model, index: number, change: (input: ModelInput) => ModelInput): Model {
  return { ...doc, inputs: doc.inputs.map((input, i) => (i === index ? change(input) : input)) };
}

/** Another distribution for an input: the gallery's example parameters, keeping what the two share (min, max, mean…). */
export function changeDistribution(input: ModelInput, type: DistributionSpec['type']): ModelInput {
  if (input.dist.type === type) return input;
  const example = galleryEntry(type).example as Record<string, unknown>;
  const current = input.dist as Record<string, unknown>;
  const dist = Object.fromEntries(
    Object.entries(example).map(([key, value]) => [
      key,
      key !== 'type' && typeof value === typeof current[key] && !Array.isArray(value) ? current[key] : value,
    ]),
  ) as ModelInput['dist'];
  return { ...input, dist: keepsShape(dist) ? dist : (example as ModelInput['dist']) };
}

/** Kept min/mode/max from another three-point estimate only where they still make one. */
function keepsShape(dist: ModelInput['dist']): boolean {
  const d = dist as { min?: number; mode?: number; max?: number };
  if (d.min !== undefined && d.max !== undefined && !(d.min < d.max)) return false;
  if (d.mode !== undefined && d.min !== undefined && d.max !== undefined) return d.min <= d.mode && d.mode <= d.max;
  return true;
}

/** Renames a name in every formula's text (as a whole name, never inside another name or a function). */
function renameInFormulas(doc: Model, from: string, to: string): Model['formulas'] {
  const names = { inputs: [from], formulas: [] };
  return doc.formulas.map((f) => {
    const tokens = highlightTokens(f.expr, names);
    if (!tokens.some((t) => t.kind === 'input')) return f;
    return { ...f, expr: tokens.map((t) => (t.kind === 'input' ? to : t.text)).join('') };
  });
}

/** Renames an input or formula everywhere it is used: formulas, correlations, outputs and their marks. */
export function renameItem(doc: Model, from: string, to: string): Model {
  if (from === to) return doc;
  const outputMarkings = doc.outputMarkings
    ? Object.fromEntries(Object.entries(doc.outputMarkings).map(([k, v]) => [k === from ? to : k, v]))
    : undefined;
  return {
    ...doc,
    inputs: doc.inputs.map((i) => (i.name === from ? { ...i, name: to } : i)),
    formulas: renameInFormulas(doc, from, to).map((f) => (f.name === from ? { ...f, name: to } : f)),
    correlations: doc.correlations.map((c) => ({ ...c, a: c.a === from ? to : c.a, b: c.b === from ? to : c.b })),
    outputs: doc.outputs.map((o) => (o === from ? to : o)),
    ...(outputMarkings ? { outputMarkings } : {}),
  };
}

/** Removes an input or formula with its correlations, its place among the outputs and its output mark. */
export function removeItem(doc: Model, name: string): Model {
  const outputMarkings = doc.outputMarkings
    ? Object.fromEntries(Object.entries(doc.outputMarkings).filter(([k]) => k !== name))
    : undefined;
  const next: Model = {
    ...doc,
    inputs: doc.inputs.filter((i) => i.name !== name),
    formulas: doc.formulas.filter((f) => f.name !== name),
    correlations: doc.correlations.filter((c) => c.a !== name && c.b !== name),
    outputs: doc.outputs.filter((o) => o !== name),
  };
  if (outputMarkings && Object.keys(outputMarkings).length > 0) next.outputMarkings = outputMarkings;
  else delete next.outputMarkings;
  return next;
}

export function addFormula(doc: Model): Model {
  return { ...doc, formulas: [...doc.formulas, { name: freeName(doc, 'result'), expr: '0' }] };
}

export function updateFormula(
  doc: Model,
  index: number,
  change: (f: Model['formulas'][number]) => Model['formulas'][number],
): Model {
  return { ...doc, formulas: doc.formulas.map((f, i) => (i === index ? change(f) : f)) };
}

/** An output on or off; outputs keep the order of inputs, then formulas. */
export function setOutput(doc: Model, name: string, on: boolean): Model {
  const chosen = new Set(doc.outputs);
  if (on) chosen.add(name);
  else chosen.delete(name);
  const order = [...doc.inputs.map((i) => i.name), ...doc.formulas.map((f) => f.name)];
  const outputs = [
    ...order.filter((n) => chosen.has(n)),
    ...doc.outputs.filter((o) => !order.includes(o) && chosen.has(o)),
  ];
  const next = { ...doc, outputs };
  if (!on && doc.outputMarkings?.[name] !== undefined) {
    const rest = Object.fromEntries(Object.entries(doc.outputMarkings).filter(([k]) => k !== name));
    if (Object.keys(rest).length > 0) next.outputMarkings = rest;
    else delete next.outputMarkings;
  }
  return next;
}

/** An output's portion mark; undefined: the model's marking. */
export function setOutputMarking(doc: Model, name: string, marking: string | undefined): Model {
  const rest = Object.fromEntries(Object.entries(doc.outputMarkings ?? {}).filter(([k]) => k !== name));
  const all = marking === undefined ? rest : { ...rest, [name]: marking };
  const next: Model = { ...doc, outputMarkings: all };
  if (Object.keys(all).length === 0) delete next.outputMarkings;
  return next;
}

/** Sets or clears an optional field (undefined removes the key, so the saved JSON has no "unit": undefined). */
export function withOptional<T extends object, K extends keyof T>(item: T, key: K, value: T[K] | undefined): T {
  const next = { ...item };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}
