import { useMemo } from 'react';
import type { DistributionSpec, Modifiers } from '../../../common/engine/distributions/catalog';
import type { MarkingContext } from '../../../common/markings/choices';
import { InputSchema, type ModelInput } from '../../../common/model/model';
import { DistributionPreview } from './DistributionPreview';
import { GALLERY, formatParameter, galleryEntry, readParameter, type ParameterField } from './distributions';
import { changeDistribution, withOptional } from './model-edits';
import { PortionMarkField } from './PortionMarkField';
import { asNumber, asOptionalNumber, asOptionalText, asText, TextField } from './TextField';

interface Props {
  input: ModelInput;
  index: number;
  modelMarking: string;
  context: MarkingContext | null;
  /** The schema's problems by field path ("inputs.0.dist.sd"). */
  problems: Map<string, string>;
  readOnly: boolean;
  onChange(change: (input: ModelInput) => ModelInput, key?: string): void;
  onRename(name: string): void;
}

/** The gallery: every distribution of the engine, as radio buttons (arrow keys move between them). */
function Gallery({
  type,
  onChoose,
  disabled,
}: {
  type: string;
  onChoose(t: DistributionSpec['type']): void;
  disabled: boolean;
}) {
  return (
    <fieldset className="gallery" data-testid="distribution-gallery">
      <legend>Distribution</legend>
      {GALLERY.map((entry) => (
        <label
          key={entry.type}
          className={`gallery__tile${entry.type === type ? ' gallery__tile--on' : ''}`}
          title={entry.risk}
        >
          <input
            type="radio"
            name="distribution"
            value={entry.type}
            checked={entry.type === type}
            disabled={disabled}
            onChange={() => onChoose(entry.type)}
            data-testid={`gallery-${entry.type}`}
          />
          <span className="gallery__name">{entry.label}</span>
          <span className="gallery__risk muted">{entry.risk}</span>
        </label>
      ))}
    </fieldset>
  );
}

/** One input: its name, unit and description, its distribution from the gallery with a live preview, truncation, shift and portion mark. */
export function InputEditor({ input, index, modelMarking, context, problems, readOnly, onChange, onRename }: Props) {
  const entry = galleryEntry(input.dist.type);
  const at = (path: string) => problems.get(`inputs.${index}.${path}`);
  // The distribution-level refinements (min < max, values and weights of one length) sit at "dist".
  const distProblem = at('dist');
  const checked = useMemo(() => InputSchema.safeParse(input), [input]);
  const spec = checked.success ? (checked.data.dist as DistributionSpec) : null;
  const modifiers = useMemo<Modifiers>(
    () => ({
      ...(checked.success && checked.data.truncate ? { truncate: checked.data.truncate } : {}),
      ...(checked.success && checked.data.shift !== undefined ? { shift: checked.data.shift } : {}),
    }),
    [checked],
  );
  const dist = input.dist as unknown as Record<string, unknown>;
  const setParameter = (field: ParameterField, value: unknown) =>
    onChange(
      (i) => ({
        ...i,
        dist: withOptional(
          i.dist as unknown as Record<string, unknown>,
          field.key,
          value,
        ) as unknown as ModelInput['dist'],
      }),
      `inputs.${index}.dist.${field.key}`,
    );

  return (
    <section className="input-editor" aria-label={`Input ${input.name}`} data-testid="input-editor">
      <div className="input-editor__row">
        <TextField
          label="Name"
          value={input.name}
          {...asText}
          onValue={onRename}
          problem={at('name')}
          testId="input-name"
        />
        <TextField
          label="Unit"
          value={input.unit}
          {...asOptionalText}
          onValue={(unit) => onChange((i) => withOptional(i, 'unit', unit), `inputs.${index}.unit`)}
          problem={at('unit')}
          hint="e.g. $k, weeks"
          testId="input-unit"
        />
      </div>
      <TextField
        label="Description"
        value={input.description}
        {...asOptionalText}
        onValue={(text) => onChange((i) => withOptional(i, 'description', text), `inputs.${index}.description`)}
        problem={at('description')}
        testId="input-description"
        multiline
      />
      <Gallery
        type={input.dist.type}
        disabled={readOnly}
        onChoose={(type) => onChange((i) => changeDistribution(i, type))}
      />
      <fieldset className="input-editor__parameters" data-testid="input-parameters">
        <legend>
          {entry.label} parameters <span className="muted">({entry.risk})</span>
        </legend>
        {entry.fields.map((field) => (
          <TextField
            key={`${input.dist.type}.${field.key}`}
            label={field.label}
            value={dist[field.key]}
            format={(v) => formatParameter(field, v)}
            read={(text) => readParameter(field, text)}
            onValue={(value) => setParameter(field, value)}
            problem={at(`dist.${field.key}`)}
            hint={field.hint}
            testId={`param-${field.key}`}
          />
        ))}
        {distProblem && (
          <p className="field-problem" data-testid="param-problem">
            {distProblem}
          </p>
        )}
      </fieldset>
      <fieldset className="input-editor__modifiers">
        <legend>Truncation and shift</legend>
        <label className="choice">
          <input
            type="checkbox"
            checked={input.truncate !== undefined}
            disabled={readOnly}
            onChange={(e) =>
              onChange((i) =>
                withOptional(
                  i,
                  'truncate',
                  e.target.checked ? defaultTruncation(checked.success ? checked.data : null) : undefined,
                ),
              )
            }
            data-testid="truncate-on"
          />
          Truncate to a range
        </label>
        {input.truncate && (
          <>
            <TextField
              label="Low"
              value={input.truncate[0]}
              {...asNumber}
              onValue={(low) =>
                onChange((i) => ({ ...i, truncate: [low, i.truncate?.[1] ?? low + 1] }), `inputs.${index}.truncate.0`)
              }
              problem={at('truncate.0') ?? at('truncate')}
              testId="truncate-low"
            />
            <TextField
              label="High"
              value={input.truncate[1]}
              {...asNumber}
              onValue={(high) =>
                onChange((i) => ({ ...i, truncate: [i.truncate?.[0] ?? high - 1, high] }), `inputs.${index}.truncate.1`)
              }
              problem={at('truncate.1')}
              testId="truncate-high"
            />
          </>
        )}
        <TextField
          label="Shift"
          value={input.shift}
          {...asOptionalNumber}
          onValue={(shift) => onChange((i) => withOptional(i, 'shift', shift), `inputs.${index}.shift`)}
          problem={at('shift')}
          hint="added to every value; empty for none"
          testId="input-shift"
        />
      </fieldset>
      <PortionMarkField
        what={input.name}
        marking={input.marking}
        modelMarking={modelMarking}
        context={context}
        onChange={(marking) => onChange((i) => withOptional(i, 'marking', marking))}
        testId="input-marking"
      />
      <DistributionPreview spec={spec} modifiers={modifiers} />
    </section>
  );
}

/** A first truncation range: the distribution's P1 to P99, rounded, so ticking the box changes little. */
function defaultTruncation(input: ModelInput | null): [number, number] {
  if (!input) return [0, 1];
  const dist = input.dist as { min?: number; max?: number; mean?: number; sd?: number };
  if (dist.min !== undefined && dist.max !== undefined) return [dist.min, dist.max];
  if (dist.mean !== undefined && dist.sd !== undefined) return [dist.mean - 3 * dist.sd, dist.mean + 3 * dist.sd];
  return [0, 100];
}
