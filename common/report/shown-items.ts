/**
 * What each report section shows, as marked items: a section's portion must dominate the roll-up of
 * these (report-marking.ts), and the standard report marks each section with exactly that roll-up.
 */
import type { Model } from '../model/model';
import type { SectionKind } from './report-definition';

/** One marked thing a section prints: where it comes from, and its portion mark. */
export interface ShownItem {
  label: string;
  portion: string;
}

/**
 * The portion mark of a model item: its own, else the model's (docs/models.md, "Markings").
 * The same rule as renderer/features/analyses/shown-marking.ts portionOf (common cannot import the renderer).
 */
export function itemPortion(model: Model, name: string): string {
  const input = model.inputs.find((i) => i.name === name);
  if (input) return input.marking ?? model.marking;
  const output = model.outputMarkings?.[name];
  if (output) return output;
  return model.formulas.find((f) => f.name === name)?.marking ?? model.marking;
}

/** The outputs a report shows: the definition's list, or every output of the model. */
export function shownOutputs(outputs: readonly string[] | null, model: Model): string[] {
  return outputs ? [...outputs] : [...model.outputs];
}

function outputItems(models: readonly Model[], outputs: readonly string[]): ShownItem[] {
  return models.flatMap((model) =>
    outputs
      .filter((name) => model.outputs.includes(name))
      .map((name) => ({ label: `output "${name}"`, portion: itemPortion(model, name) })),
  );
}

function inputItems(models: readonly Model[]): ShownItem[] {
  return models.flatMap((model) =>
    model.inputs.map((input) => ({ label: `input "${input.name}"`, portion: input.marking ?? model.marking })),
  );
}

/** Every item of the model description: inputs, correlations, formulas and outputs of the version it describes. */
function modelItems(model: Model): ShownItem[] {
  return [
    ...inputItems([model]),
    ...model.correlations.map((c) => ({
      label: `correlation of "${c.a}" and "${c.b}"`,
      portion: c.marking ?? model.marking,
    })),
    ...model.formulas.map((f) => ({ label: `formula "${f.name}"`, portion: f.marking ?? model.marking })),
    ...outputItems([model], model.outputs),
  ];
}

/** The marked items a section shows; models[0] is the version the report describes, the rest other versions of its runs. */
export function itemsShownBy(kind: SectionKind, models: readonly Model[], outputs: readonly string[]): ShownItem[] {
  switch (kind) {
    case 'summary':
      return [];
    case 'title':
    case 'settings':
      // They print the model's name (and the runs', which name their versions).
      return models.map((model) => ({ label: `the model "${model.name}"`, portion: model.marking }));
    case 'model':
      return models[0] ? modelItems(models[0]) : [];
    case 'statistics':
    case 'charts':
    case 'comparison':
    case 'convergence':
      return outputItems(models, outputs);
    case 'sensitivity':
    case 'scenarios':
      return [...outputItems(models, outputs), ...inputItems(models)];
  }
}
