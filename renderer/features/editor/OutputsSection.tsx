import type { MarkingContext } from '../../../common/markings/choices';
import type { Model } from '../../../common/model/model';
import { setOutput, setOutputMarking } from './model-edits';
import { PortionMarkField } from './PortionMarkField';

type Edit = (change: (doc: Model) => Model, key?: string) => void;

/** The outputs, chosen from the model's formulas and inputs, each with its portion mark. */
export function OutputsSection({ doc, context, onEdit }: { doc: Model; context: MarkingContext | null; onEdit: Edit }) {
  const candidates = [
    ...doc.formulas.map((f) => ({ name: f.name, kind: 'formula' })),
    ...doc.inputs.map((i) => ({ name: i.name, kind: 'input' })),
  ].filter((c) => c.name !== '');
  return (
    <section className="panel editor-section" aria-labelledby="editor-outputs-title" data-testid="editor-outputs">
      <h2 id="editor-outputs-title">Outputs</h2>
      {candidates.length === 0 ? (
        <p className="muted">Add an input or a formula first.</p>
      ) : (
        <fieldset className="editor-outputs">
          <legend className="visually-hidden">Outputs reported by a run</legend>
          {candidates.map((c, index) => {
            const on = doc.outputs.includes(c.name);
            return (
              <div key={index} className="editor-output">
                <label className="choice">
                  <input
                    type="checkbox"
                    checked={on}
                    onChange={(e) => onEdit((d) => setOutput(d, c.name, e.target.checked))}
                    data-testid={`output-${c.name}`}
                  />
                  {c.name} <span className="muted">({c.kind})</span>
                </label>
                {on && (
                  <PortionMarkField
                    what={`output ${c.name}`}
                    marking={doc.outputMarkings?.[c.name]}
                    modelMarking={doc.marking}
                    context={context}
                    onChange={(marking) => onEdit((d) => setOutputMarking(d, c.name, marking))}
                    testId={`output-marking-${c.name}`}
                  />
                )}
              </div>
            );
          })}
        </fieldset>
      )}
      {doc.outputs.length === 0 && <p className="field-problem">Choose at least one output.</p>}
    </section>
  );
}
