import { useMemo, useState } from 'react';
import { scenarioErrors, scenarioParameters } from '../../../common/engine/analysis/scenarios';
import type { Model } from '../../../common/model/model';
import type { ReportScenarioTable } from '../../../common/report/report-definition';
import { formatNumber } from '../run/format';

interface Draft {
  parameters: ReportScenarioTable['parameters'];
  rows: { name: string; cells: string[] }[];
}

const draftOf = (table: ReportScenarioTable | null): Draft | null =>
  table && {
    parameters: table.parameters,
    rows: table.scenarios.map((s) => ({ name: s.name, cells: s.values.map((v) => (v === null ? '' : String(v))) })),
  };

/** The draft as a table, or the plain-words problems that keep it from being one. */
function tableOf(draft: Draft, model: Model): { table: ReportScenarioTable | null; problems: string[] } {
  const problems: string[] = [];
  const scenarios = draft.rows.map((row) => ({
    name: row.name.trim(),
    values: row.cells.map((cell, j) => {
      if (cell.trim() === '') return null;
      const value = Number(cell);
      if (Number.isFinite(value)) return value;
      const p = draft.parameters[j]!;
      problems.push(`scenario ${row.name.trim() || '(unnamed)'}: ${p.input} ${p.parameter}: "${cell}" is not a number`);
      return null;
    }),
  }));
  if (scenarios.some((s) => !s.name)) problems.push('Every scenario needs a name.');
  const table = { parameters: draft.parameters, scenarios };
  problems.push(...scenarioErrors(model, table));
  return { table: problems.length === 0 && draft.parameters.length > 0 ? table : null, problems };
}

/**
 * The scenario section's table, as the run screen's scenarios take it: columns are distribution
 * parameters, rows are scenarios (an empty cell keeps the model's value). Each is run at the
 * baseline run's seed before the report is rendered.
 */
export function ScenarioTableEditor({
  model,
  value,
  onChange,
}: {
  model: Model;
  value: ReportScenarioTable | null;
  onChange(next: ReportScenarioTable | null): void;
}) {
  const parameters = useMemo(() => scenarioParameters(model), [model]);
  const [draft, setDraft] = useState<Draft>(
    () =>
      draftOf(value) ?? {
        parameters: parameters.slice(0, 1).map(({ input, parameter }) => ({ input, parameter })),
        rows: [
          { name: 'Base', cells: parameters.slice(0, 1).map(() => '') },
          { name: 'Scenario 2', cells: parameters.slice(0, 1).map(() => '') },
        ],
      },
  );
  const [adding, setAdding] = useState(0);
  const { problems } = tableOf(draft, model);
  const edit = (change: (d: Draft) => Draft) => {
    const next = change(draft);
    setDraft(next);
    onChange(tableOf(next, model).table);
  };
  const modelValue = (j: number) =>
    parameters.find((p) => p.input === draft.parameters[j]!.input && p.parameter === draft.parameters[j]!.parameter)
      ?.value ?? Number.NaN;

  return (
    <div className="report-scenarios" data-testid="report-scenarios">
      <table className="table">
        <caption className="visually-hidden">Scenario parameters</caption>
        <thead>
          <tr>
            <th scope="col">Scenario</th>
            {draft.parameters.map((p, j) => (
              <th key={`${p.input}.${p.parameter}`} scope="col">
                {p.input} · {p.parameter} <span className="muted">(model {formatNumber(modelValue(j))})</span>{' '}
                <button
                  type="button"
                  className="button button--small"
                  aria-label={`Remove the column ${p.input} ${p.parameter}`}
                  onClick={() =>
                    edit((d) => ({
                      parameters: d.parameters.filter((_, k) => k !== j),
                      rows: d.rows.map((r) => ({ ...r, cells: r.cells.filter((_, k) => k !== j) })),
                    }))
                  }
                >
                  ×
                </button>
              </th>
            ))}
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {draft.rows.map((row, i) => (
            <tr key={i} data-testid={`report-scenario-${i}`}>
              <th scope="row">
                <input
                  className="field"
                  aria-label={`Name of scenario ${i + 1}`}
                  maxLength={200}
                  value={row.name}
                  onChange={(e) => {
                    const name = e.currentTarget.value;
                    edit((d) => ({ ...d, rows: d.rows.map((r, k) => (k === i ? { ...r, name } : r)) }));
                  }}
                />
              </th>
              {row.cells.map((cell, j) => (
                <td key={j}>
                  <input
                    className="field"
                    inputMode="decimal"
                    aria-label={`${row.name}: ${draft.parameters[j]!.input} ${draft.parameters[j]!.parameter}`}
                    placeholder={formatNumber(modelValue(j))}
                    value={cell}
                    onChange={(e) => {
                      const text = e.currentTarget.value;
                      edit((d) => ({
                        ...d,
                        rows: d.rows.map((r, k) =>
                          k === i ? { ...r, cells: r.cells.map((c, m) => (m === j ? text : c)) } : r,
                        ),
                      }));
                    }}
                  />
                </td>
              ))}
              <td>
                <button
                  type="button"
                  className="button button--small"
                  disabled={draft.rows.length <= 1}
                  onClick={() => edit((d) => ({ ...d, rows: d.rows.filter((_, k) => k !== i) }))}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="analysis__controls">
        <button
          type="button"
          className="button button--small"
          disabled={draft.rows.length >= 20}
          onClick={() =>
            edit((d) => ({
              ...d,
              rows: [...d.rows, { name: `Scenario ${d.rows.length + 1}`, cells: d.parameters.map(() => '') }],
            }))
          }
          data-testid="report-scenario-add"
        >
          Add scenario
        </button>
        <label className="field-group">
          Parameter
          <select className="field" value={adding} onChange={(e) => setAdding(Number(e.currentTarget.value))}>
            {parameters.map((p, k) => (
              <option key={`${p.input}.${p.parameter}`} value={k}>
                {p.input} · {p.parameter} ({formatNumber(p.value)})
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="button button--small"
          disabled={draft.parameters.length >= 50}
          onClick={() => {
            const p = parameters[adding];
            if (!p || draft.parameters.some((q) => q.input === p.input && q.parameter === p.parameter)) return;
            edit((d) => ({
              parameters: [...d.parameters, { input: p.input, parameter: p.parameter }],
              rows: d.rows.map((r) => ({ ...r, cells: [...r.cells, ''] })),
            }));
          }}
        >
          Add parameter column
        </button>
      </div>
      {problems.length > 0 && (
        <ul className="field-problem" role="alert" data-testid="report-scenario-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
