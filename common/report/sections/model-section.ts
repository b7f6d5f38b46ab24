import type { Model, ModelInput } from '../../model/model';
import { reportMarkingOf } from '../report-marking';
import { numberCell } from '../report-numbers';
import { formatNumber } from '../report-numbers';
import { itemPortion } from '../shown-items';
import type { SectionContext } from './section-context';

/** A distribution's parameters as text ("min 800, mode 950, max 1400"); long lists are cut with a count. */
export function parametersText(dist: ModelInput['dist']): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(dist)) {
    if (key === 'type') continue;
    if (typeof value === 'number') parts.push(`${key} ${formatNumber(value)}`);
    else if (Array.isArray(value)) {
      const shown = value
        .slice(0, 6)
        .map((v) => (Array.isArray(v) ? `(${v.map(formatNumber).join(', ')})` : formatNumber(v as number)));
      parts.push(`${key} ${shown.join(', ')}${value.length > 6 ? `, … (${value.length} in all)` : ''}`);
    }
  }
  return parts.join(', ');
}

/** An item's portion in its canonical form (the raw text if the site cannot read it: the check has refused it then). */
function portionText(ctx: SectionContext, text: string): string {
  try {
    return reportMarkingOf(text, ctx.data.policy).portion;
  } catch {
    return text;
  }
}

function unitOf(model: Model, name: string): string {
  return model.inputs.find((i) => i.name === name)?.unit ?? model.formulas.find((f) => f.name === name)?.unit ?? '';
}

function descriptionOf(model: Model, name: string): string {
  const item = model.inputs.find((i) => i.name === name) ?? model.formulas.find((f) => f.name === name);
  return item?.description ?? '';
}

const text = (label: string) => ({ label, kind: 'text' as const });

/** The most characters of one table cell the print takes (report-document-schema.ts); a formula may be longer. */
export const MAX_CELL_CHARACTERS = 5_000;

/** A long text cut to fit one cell, saying how long it was. */
export function cellText(value: string): string {
  if (value.length <= MAX_CELL_CHARACTERS) return value;
  const note = ` … (${value.length.toLocaleString('en-US')} characters in all)`;
  return value.slice(0, MAX_CELL_CHARACTERS - note.length) + note;
}

/** The model description: inputs, correlations (if any), formulas and outputs, each with its portion mark. */
export function modelSection(ctx: SectionContext): void {
  const model = ctx.data.model;
  const name = ctx.data.modelVersion.name;
  ctx.table(
    'inputs',
    `Inputs of ${name}`,
    'Inputs',
    [
      text('Input'),
      text('Distribution'),
      text('Parameters'),
      text('Truncation'),
      { label: 'Shift', kind: 'number', decimals: 2 },
      text('Unit'),
      text('Description'),
      text('Marking'),
    ],
    model.inputs.map((input) => [
      input.name,
      input.dist.type,
      parametersText(input.dist),
      input.truncate ? `[${input.truncate.map(formatNumber).join(', ')}]` : '',
      numberCell(input.shift),
      input.unit ?? '',
      input.description ?? '',
      portionText(ctx, input.marking ?? model.marking),
    ]),
  );
  if (model.correlations.length > 0)
    ctx.table(
      'correlations',
      `Rank correlations of the inputs of ${name}`,
      'Model',
      [text('Input'), text('With'), { label: 'Rank correlation', kind: 'number', decimals: 3 }, text('Marking')],
      model.correlations.map((c) => [c.a, c.b, c.rank, portionText(ctx, c.marking ?? model.marking)]),
    );
  if (model.formulas.length > 0)
    ctx.table(
      'formulas',
      `Formulas of ${name}`,
      'Model',
      [text('Formula'), text('Expression'), text('Unit'), text('Description'), text('Marking')],
      model.formulas.map((f) => [
        f.name,
        cellText(f.expr),
        f.unit ?? '',
        f.description ?? '',
        portionText(ctx, f.marking ?? model.marking),
      ]),
    );
  ctx.table(
    'outputs',
    `Outputs of ${name}`,
    'Model',
    [text('Output'), text('Unit'), text('Description'), text('Marking')],
    model.outputs.map((o) => [o, unitOf(model, o), descriptionOf(model, o), portionText(ctx, itemPortion(model, o))]),
  );
}
