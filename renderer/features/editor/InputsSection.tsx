import { useState } from 'react';
import type { MarkingContext } from '../../../common/markings/choices';
import type { Model } from '../../../common/model/model';
import { galleryEntry } from './distributions';
import { InputEditor } from './InputEditor';
import { addInput, removeItem, renameItem, updateInput } from './model-edits';

type Edit = (change: (doc: Model) => Model, key?: string) => void;

/** The model's inputs: a list to choose from (add, remove) and the chosen one's editor. */
export function InputsSection({
  doc,
  context,
  problems,
  readOnly,
  onEdit,
}: {
  doc: Model;
  context: MarkingContext | null;
  problems: Map<string, string>;
  readOnly: boolean;
  onEdit: Edit;
}) {
  const [chosen, setChosen] = useState(0);
  const index = Math.min(chosen, doc.inputs.length - 1);
  const input = doc.inputs[index];
  const hasProblem = (i: number) =>
    [...problems.keys()].some((k) => k === `inputs.${i}` || k.startsWith(`inputs.${i}.`));
  return (
    <section className="panel editor-section" aria-labelledby="editor-inputs-title" data-testid="editor-inputs">
      <div className="panel__heading">
        <h2 id="editor-inputs-title">Inputs</h2>
        <button
          type="button"
          className="button button--small"
          disabled={readOnly}
          data-testid="add-input"
          onClick={() => {
            onEdit(addInput);
            setChosen(doc.inputs.length);
          }}
        >
          Add an input
        </button>
      </div>
      {doc.inputs.length === 0 ? (
        <p className="muted">No inputs yet: a model needs at least one uncertain quantity.</p>
      ) : (
        <div className="editor-inputs">
          <ul className="editor-list" aria-label="Inputs" data-testid="input-list">
            {doc.inputs.map((item, i) => (
              <li key={i} className={i === index ? 'editor-list__item editor-list__item--on' : 'editor-list__item'}>
                <button
                  type="button"
                  className="editor-list__choose"
                  aria-current={i === index ? 'true' : undefined}
                  onClick={() => setChosen(i)}
                  data-testid={`choose-input-${item.name}`}
                >
                  <span className="editor-list__name">{item.name || '(no name)'}</span>
                  <span className="muted">{galleryEntry(item.dist.type).label}</span>
                  {hasProblem(i) && (
                    <span className="editor-list__problem" aria-label="has a problem">
                      !
                    </span>
                  )}
                </button>
                <button
                  type="button"
                  className="button button--small"
                  disabled={readOnly}
                  aria-label={`Remove input ${item.name}`}
                  data-testid={`remove-input-${item.name}`}
                  onClick={() => onEdit((d) => removeItem(d, item.name))}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
          {input && (
            <InputEditor
              key={index}
              input={input}
              index={index}
              modelMarking={doc.marking}
              context={context}
              problems={problems}
              readOnly={readOnly}
              onChange={(change, key) => onEdit((d) => updateInput(d, index, change), key)}
              onRename={(name) => onEdit((d) => renameItem(d, d.inputs[index]!.name, name), `inputs.${index}.name`)}
            />
          )}
        </div>
      )}
    </section>
  );
}
