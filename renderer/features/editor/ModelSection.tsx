import { useMemo, useState } from 'react';
import { formatBanner, parseMarking, rollup } from '../../../common/markings';
import type { MarkingContext } from '../../../common/markings/choices';
import type { Model } from '../../../common/model/model';
import { MarkingPicker } from '../../components/MarkingPicker';
import { bannerRollup } from './model-banner';
import { withOptional } from './model-edits';
import { asOptionalText, asText, TextField } from './TextField';

type Edit = (change: (doc: Model) => Model, key?: string) => void;

/**
 * The model's name and description, and its banner: the roll-up of every portion mark with the
 * model's own marking. The own marking may be raised by hand; it is never below the parts (the
 * service refuses such a save, and this section offers to raise it to the roll-up).
 */
export function ModelSection({
  doc,
  context,
  problems,
  onEdit,
}: {
  doc: Model;
  context: MarkingContext | null;
  problems: Map<string, string>;
  onEdit: Edit;
}) {
  const [raising, setRaising] = useState(false);
  const roll = useMemo(() => (context ? bannerRollup(doc, context.policy) : null), [doc, context]);
  const own = context ? parseMarking(doc.marking, context.policy) : null;
  return (
    <section className="panel editor-section" aria-labelledby="editor-model-title" data-testid="editor-model">
      <h2 id="editor-model-title">Model</h2>
      <TextField
        label="Name"
        value={doc.name}
        {...asText}
        onValue={(name) => onEdit((d) => ({ ...d, name }), 'name')}
        problem={problems.get('name')}
        testId="model-name"
      />
      <TextField
        label="Description"
        value={doc.description}
        {...asOptionalText}
        onValue={(text) => onEdit((d) => withOptional(d, 'description', text), 'description')}
        problem={problems.get('description')}
        testId="model-description"
        multiline
      />
      <div className="editor-banner" data-testid="editor-banner">
        <p>
          Banner (roll-up of the parts and the model’s marking):{' '}
          <strong data-testid="banner-rollup">{roll?.banner ?? '—'}</strong>
        </p>
        <p className="muted">
          The model’s own marking: <code data-testid="model-marking">{doc.marking}</code>. Raise it by hand; the banner
          never goes below the parts.
        </p>
        {roll?.problems.map((p, i) => (
          <p key={i} className="field-problem">
            {p}
          </p>
        ))}
        {roll?.belowParts && roll.parts && context && (
          <p className="field-problem" data-testid="banner-below-parts">
            The model’s marking is below what its parts add up to ({formatBanner(roll.parts)}): the library refuses to
            save it so.{' '}
            <button
              type="button"
              className="button button--small"
              data-testid="banner-raise-to-parts"
              onClick={() =>
                onEdit((d) => {
                  const parsed = parseMarking(d.marking, context.policy);
                  return {
                    ...d,
                    marking: formatBanner(
                      rollup(parsed.ok ? [parsed.marking, roll.parts!] : [roll.parts!], context.policy),
                    ),
                  };
                })
              }
            >
              Raise it to the roll-up
            </button>
          </p>
        )}
        {context && own?.ok && (
          <>
            <button
              type="button"
              className="button button--small"
              aria-expanded={raising}
              onClick={() => setRaising(!raising)}
              data-testid="banner-raise"
            >
              {raising ? 'Done' : 'Change the model’s marking'}
            </button>
            {raising && (
              <MarkingPicker
                value={own.marking}
                onChange={(next) => onEdit((d) => ({ ...d, marking: formatBanner(next) }))}
                context={context}
                label="The model’s marking"
              />
            )}
          </>
        )}
      </div>
    </section>
  );
}
