import { useMemo } from 'react';
import type { FormulaIssue } from '../../../common/engine/expression/graph';
import type { MarkingContext } from '../../../common/markings/choices';
import type { Model } from '../../../common/model/model';
import { FormulaEditor } from './FormulaEditor';
import { addFormula, removeItem, renameItem, updateFormula, withOptional } from './model-edits';
import { PortionMarkField } from './PortionMarkField';
import { asOptionalText, asText, TextField } from './TextField';

type Edit = (change: (doc: Model) => Model, key?: string) => void;

/** The model's formulas: each a name, a highlighted expression with its problems, a unit, a description and a portion mark. */
export function FormulasSection({
  doc,
  context,
  problems,
  formulaIssues,
  readOnly,
  onEdit,
}: {
  doc: Model;
  context: MarkingContext | null;
  problems: Map<string, string>;
  formulaIssues: FormulaIssue[];
  readOnly: boolean;
  onEdit: Edit;
}) {
  const names = useMemo(
    () => ({ inputs: doc.inputs.map((i) => i.name), formulas: doc.formulas.map((f) => f.name) }),
    [doc.inputs, doc.formulas],
  );
  return (
    <section className="panel editor-section" aria-labelledby="editor-formulas-title" data-testid="editor-formulas">
      <div className="panel__heading">
        <h2 id="editor-formulas-title">Formulas</h2>
        <button
          type="button"
          className="button button--small"
          disabled={readOnly}
          onClick={() => onEdit(addFormula)}
          data-testid="add-formula"
        >
          Add a formula
        </button>
      </div>
      {doc.formulas.length === 0 && (
        <p className="muted">No formulas: outputs can be inputs, or add a formula over them.</p>
      )}
      <ol className="editor-formulas">
        {doc.formulas.map((formula, index) => (
          <li key={index} className="editor-formula" data-testid={`formula-${index}`}>
            <div className="input-editor__row">
              <TextField
                label="Name"
                value={formula.name}
                {...asText}
                onValue={(name) =>
                  onEdit((d) => renameItem(d, d.formulas[index]!.name, name), `formulas.${index}.name`)
                }
                problem={problems.get(`formulas.${index}.name`)}
                testId={`formula-name-${index}`}
              />
              <TextField
                label="Unit"
                value={formula.unit}
                {...asOptionalText}
                onValue={(unit) =>
                  onEdit((d) => updateFormula(d, index, (f) => withOptional(f, 'unit', unit)), `formulas.${index}.unit`)
                }
                testId={`formula-unit-${index}`}
              />
              <button
                type="button"
                className="button button--small"
                disabled={readOnly}
                aria-label={`Remove formula ${formula.name}`}
                onClick={() => onEdit((d) => removeItem(d, formula.name))}
              >
                Remove
              </button>
            </div>
            <FormulaEditor
              name={formula.name}
              value={formula.expr}
              names={names}
              issues={formulaIssues.filter((i) => i.formula === formula.name || i.path?.includes(formula.name))}
              onChange={(expr) =>
                onEdit((d) => updateFormula(d, index, (f) => ({ ...f, expr })), `formulas.${index}.expr`)
              }
              testId={`formula-expr-${index}`}
            />
            {problems.get(`formulas.${index}.expr`) && (
              <p className="field-problem">{problems.get(`formulas.${index}.expr`)}</p>
            )}
            <TextField
              label="Description"
              value={formula.description}
              {...asOptionalText}
              onValue={(text) =>
                onEdit(
                  (d) => updateFormula(d, index, (f) => withOptional(f, 'description', text)),
                  `formulas.${index}.description`,
                )
              }
              testId={`formula-description-${index}`}
              multiline
            />
            <PortionMarkField
              what={formula.name}
              marking={formula.marking}
              modelMarking={doc.marking}
              context={context}
              onChange={(marking) => onEdit((d) => updateFormula(d, index, (f) => withOptional(f, 'marking', marking)))}
              testId={`formula-marking-${index}`}
            />
          </li>
        ))}
      </ol>
    </section>
  );
}
