import { useState, type ReactNode } from 'react';
import type { ScenarioParameter, ScenarioTable } from '../../../common/engine/analysis/scenarios';
import { formatNumber } from '../run/format';

/** The scenario table as typed: cells are text until they are read as numbers. */
export interface ScenarioDraft {
  parameters: ScenarioTable['parameters'];
  rows: { name: string; cells: string[] }[];
}

/** Two scenarios ("Base" and "Scenario 2") over the model's first parameter. */
export const firstScenarioDraft = (parameters: readonly ScenarioParameter[]): ScenarioDraft => ({
  parameters: parameters.slice(0, 1).map(({ input, parameter }) => ({ input, parameter })),
  rows: [
    { name: 'Base', cells: parameters.slice(0, 1).map(() => '') },
    { name: 'Scenario 2', cells: parameters.slice(0, 1).map(() => '') },
  ],
});

/** The draft as a table, with a plain-words problem for every cell that is not a number. */
export function readScenarioDraft(draft: ScenarioDraft): { table: ScenarioTable; problems: string[] } {
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
  return { table: { parameters: draft.parameters, scenarios }, problems };
}

/** The most scenarios and parameter columns a table has (the report definition's limits). */
const MAX_SCENARIOS = 20;
const MAX_COLUMNS = 50;

interface ScenarioGridProps {
  /** Every parameter the table may change, with the model's value. */
  parameters: readonly (ScenarioParameter & { value: number })[];
  draft: ScenarioDraft;
  edit(change: (draft: ScenarioDraft) => ScenarioDraft): void;
  /** Test ids: the table's, and each row's by index. */
  testIds: { table?: string; row(index: number): string; add?: string };
  /** More controls after the table's own (a seed, a Run button). */
  children?: ReactNode;
}

/**
 * The scenario table's editor (the run screen's scenarios and a report's scenario section):
 * columns are distribution parameters, rows are scenarios; an empty cell keeps the model's value.
 */
export function ScenarioGrid({ parameters, draft, edit, testIds, children }: ScenarioGridProps) {
  const [adding, setAdding] = useState(0);
  const modelValue = (j: number) =>
    parameters.find((p) => p.input === draft.parameters[j]!.input && p.parameter === draft.parameters[j]!.parameter)
      ?.value ?? Number.NaN;
  const setCell = (i: number, j: number, text: string) =>
    edit((d) => ({
      ...d,
      rows: d.rows.map((r, k) => (k === i ? { ...r, cells: r.cells.map((c, m) => (m === j ? text : c)) } : r)),
    }));
  const addParameter = () => {
    const p = parameters[adding];
    if (!p || draft.parameters.some((q) => q.input === p.input && q.parameter === p.parameter)) return;
    edit((d) => ({
      parameters: [...d.parameters, { input: p.input, parameter: p.parameter }],
      rows: d.rows.map((r) => ({ ...r, cells: [...r.cells, ''] })),
    }));
  };

  return (
    <>
      <div className="analysis__scroll">
        <table className="table analyses-scenarios" data-testid={testIds.table}>
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
              <tr key={i} data-testid={testIds.row(i)}>
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
                      onChange={(e) => setCell(i, j, e.currentTarget.value)}
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
      </div>
      <div className="analysis__controls">
        <button
          type="button"
          className="button"
          disabled={draft.rows.length >= MAX_SCENARIOS}
          onClick={() =>
            edit((d) => ({
              ...d,
              rows: [...d.rows, { name: `Scenario ${d.rows.length + 1}`, cells: d.parameters.map(() => '') }],
            }))
          }
          data-testid={testIds.add}
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
          className="button"
          disabled={draft.parameters.length >= MAX_COLUMNS}
          onClick={addParameter}
        >
          Add parameter column
        </button>
        {children}
      </div>
    </>
  );
}
