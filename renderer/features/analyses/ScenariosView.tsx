import { useMemo, useRef, useState } from 'react';
import type uPlot from 'uplot';
import {
  applyScenario,
  scenarioErrors,
  scenarioParameters,
  scenarioResults,
  type ScenarioTable,
} from '../../../common/engine/analysis/scenarios';
import { compileModel } from '../../../common/engine/compile-model';
import type { SimulationSummary } from '../../../common/engine/summary';
import type { Model } from '../../../common/model/model';
import { Chart, themedAxes } from '../run/Chart';
import { formatNumber } from '../run/format';
import { AnalysisSection, NumberCell } from './AnalysisSection';
import { seriesColor } from './series-colors';
import { OutputChoice } from './StatisticChoice';
import { shownMarking, type ShownMarking } from './shown-marking';
import type { RunScenario } from './types';

interface Draft {
  parameters: ScenarioTable['parameters'];
  rows: { name: string; cells: string[] }[];
}

type Run =
  | { kind: 'idle' }
  | { kind: 'running'; done: number; total: number }
  | { kind: 'done'; names: string[]; summaries: SimulationSummary[]; seed: number; iterations: number }
  | { kind: 'failed'; message: string };

/** The draft as a table, with a plain-words problem for every cell that is not a number. */
function readDraft(draft: Draft): { table: ScenarioTable; problems: string[] } {
  const problems: string[] = [];
  const scenarios = draft.rows.map((row) => ({
    name: row.name.trim(),
    values: row.cells.map((cell, j) => {
      if (cell.trim() === '') return null;
      const value = Number(cell);
      if (!Number.isFinite(value)) {
        const p = draft.parameters[j]!;
        problems.push(
          `scenario ${row.name.trim() || '(unnamed)'}: ${p.input} ${p.parameter}: "${cell}" is not a number`,
        );
        return null;
      }
      return value;
    }),
  }));
  return { table: { parameters: draft.parameters, scenarios }, problems };
}

const wholeNumber = (text: string, min: number, max: number) => {
  const n = Number(text);
  return Number.isInteger(n) && n >= min && n <= max ? n : null;
};

/** Scenarios: a table of parameter sets, each run with the same seed, and their results side by side. */
export function ScenariosView({
  model,
  banner,
  runScenario,
  defaults,
}: {
  model: Model;
  banner: ShownMarking;
  runScenario?: RunScenario;
  defaults: { seed: number; iterations: number };
}) {
  const parameters = useMemo(() => scenarioParameters(model), [model]);
  const [draft, setDraft] = useState<Draft>(() => ({
    parameters: parameters.slice(0, 1).map(({ input, parameter }) => ({ input, parameter })),
    rows: [
      { name: 'Base', cells: parameters.slice(0, 1).map(() => '') },
      { name: 'Scenario 2', cells: parameters.slice(0, 1).map(() => '') },
    ],
  }));
  const [adding, setAdding] = useState(0);
  const [seedText, setSeedText] = useState(String(defaults.seed));
  const [iterationsText, setIterationsText] = useState(String(defaults.iterations));
  const [run, setRun] = useState<Run>({ kind: 'idle' });
  const [output, setOutput] = useState(model.outputs[0]!);
  const abort = useRef<AbortController | null>(null);

  const { table, problems: cellProblems } = readDraft(draft);
  const seed = wholeNumber(seedText, 0, 2 ** 32 - 1);
  const iterations = wholeNumber(iterationsText, 100, 10_000_000);
  const problems = [
    ...cellProblems,
    ...scenarioErrors(model, table),
    ...(seed === null ? ['The seed is a whole number from 0 to 4,294,967,295.'] : []),
    ...(iterations === null ? ['Iterations are a whole number from 100 to 10,000,000.'] : []),
  ];
  const marking = shownMarking(model, [...model.outputs, ...draft.parameters.map((p) => p.input)], banner);
  const modelValue = (j: number) =>
    parameters.find((p) => p.input === draft.parameters[j]!.input && p.parameter === draft.parameters[j]!.parameter)
      ?.value ?? Number.NaN;

  const edit = (change: (d: Draft) => Draft) => {
    setDraft(change);
    if (run.kind !== 'running') setRun({ kind: 'idle' });
  };
  const addParameter = () => {
    const p = parameters[adding];
    if (!p || draft.parameters.some((q) => q.input === p.input && q.parameter === p.parameter)) return;
    edit((d) => ({
      parameters: [...d.parameters, { input: p.input, parameter: p.parameter }],
      rows: d.rows.map((r) => ({ ...r, cells: [...r.cells, ''] })),
    }));
  };

  async function runAll() {
    if (!runScenario || problems.length > 0 || seed === null || iterations === null) return;
    const controller = new AbortController();
    abort.current = controller;
    const summaries: SimulationSummary[] = [];
    setRun({ kind: 'running', done: 0, total: table.scenarios.length });
    try {
      for (const scenario of table.scenarios) {
        const applied = applyScenario(model, table, scenario);
        if (!applied.ok) throw new Error(applied.errors.join('; '));
        const compiled = compileModel(applied.model);
        if (!compiled.ok) throw new Error(`scenario ${scenario.name}: ${compiled.errors.join('; ')}`);
        summaries.push(await runScenario(compiled.compiled, { seed, iterations, signal: controller.signal }));
        setRun({ kind: 'running', done: summaries.length, total: table.scenarios.length });
      }
      setRun({ kind: 'done', names: table.scenarios.map((s) => s.name), summaries, seed, iterations });
    } catch (error) {
      setRun({
        kind: 'failed',
        message: controller.signal.aborted ? 'Cancelled.' : error instanceof Error ? error.message : String(error),
      });
    } finally {
      abort.current = null;
    }
  }

  const results = run.kind === 'done' ? scenarioResults(model.outputs, run.summaries) : null;
  const chart = useMemo(() => {
    if (run.kind !== 'done') return null;
    // Each scenario's value at every whole percentile: the S-curves on one axis of cumulative %.
    const percent = Array.from({ length: 101 }, (_, p) => p);
    const data: uPlot.AlignedData = [
      percent,
      ...run.summaries.map((s) => s.outputs[output]?.cdf.map((point) => point.x) ?? percent.map(() => Number.NaN)),
    ];
    const options: Omit<uPlot.Options, 'width' | 'height'> = {
      cursor: { show: true },
      legend: { show: true, live: true },
      scales: { x: { time: false, range: [0, 100] } },
      axes: themedAxes('cumulative %', output),
      series: [
        { label: 'cumulative %' },
        ...run.names.map((name, i) => ({ label: name, stroke: seriesColor(i), width: 2, points: { show: false } })),
      ],
    };
    return { data, options };
  }, [run, output]);

  if (!runScenario)
    return (
      <AnalysisSection
        name="scenarios"
        title="Scenarios"
        marking={banner}
        about="Scenarios run the model again for each parameter set; they need the engine."
      >
        <p className="muted" data-testid="scenarios-unavailable">
          Scenarios run the model again: open them from the run screen.
        </p>
      </AnalysisSection>
    );

  return (
    <AnalysisSection
      name="scenarios"
      title="Scenarios"
      marking={marking}
      about="A table of parameter sets (as @RISK's RiskSimtable or Crystal Ball's decision table): each row changes some inputs' distribution parameters (an empty cell keeps the model's value), and every row is run with the same seed, so the differences are the parameters', not the random numbers'."
    >
      <div className="analysis__scroll">
        <table className="table analyses-scenarios" data-testid="scenario-editor">
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
              <tr key={i} data-testid={`scenario-row-${i}`}>
                <th scope="row">
                  <input
                    className="field"
                    aria-label={`Name of scenario ${i + 1}`}
                    value={row.name}
                    onChange={(e) =>
                      edit((d) => ({
                        ...d,
                        rows: d.rows.map((r, k) => (k === i ? { ...r, name: e.target.value } : r)),
                      }))
                    }
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
                      onChange={(e) =>
                        edit((d) => ({
                          ...d,
                          rows: d.rows.map((r, k) =>
                            k === i ? { ...r, cells: r.cells.map((c, m) => (m === j ? e.target.value : c)) } : r,
                          ),
                        }))
                      }
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
          disabled={draft.rows.length >= 20}
          onClick={() =>
            edit((d) => ({
              ...d,
              rows: [...d.rows, { name: `Scenario ${d.rows.length + 1}`, cells: d.parameters.map(() => '') }],
            }))
          }
        >
          Add scenario
        </button>
        <label className="field-group">
          Parameter
          <select className="field" value={adding} onChange={(e) => setAdding(Number(e.target.value))}>
            {parameters.map((p, k) => (
              <option key={`${p.input}.${p.parameter}`} value={k}>
                {p.input} · {p.parameter} ({formatNumber(p.value)})
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button" onClick={addParameter}>
          Add parameter column
        </button>
        <label className="field-group">
          Seed (all scenarios)
          <input className="field" inputMode="numeric" value={seedText} onChange={(e) => setSeedText(e.target.value)} />
        </label>
        <label className="field-group">
          Iterations
          <input
            className="field"
            inputMode="numeric"
            value={iterationsText}
            onChange={(e) => setIterationsText(e.target.value)}
          />
        </label>
        {run.kind === 'running' ? (
          <button type="button" className="button" onClick={() => abort.current?.abort()}>
            Cancel
          </button>
        ) : (
          <button
            type="button"
            className="button button--primary"
            disabled={problems.length > 0}
            onClick={() => void runAll()}
          >
            Run {draft.rows.length} scenarios
          </button>
        )}
      </div>
      {problems.length > 0 ? (
        <ul className="field-problem" role="alert" data-testid="scenario-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      <p className="muted" role="status" data-testid="scenario-status">
        {run.kind === 'running'
          ? `Running scenario ${run.done + 1} of ${run.total}…`
          : run.kind === 'failed'
            ? `The scenarios did not finish: ${run.message}`
            : run.kind === 'done'
              ? `${run.names.length} scenarios, each ${run.iterations.toLocaleString('en-US')} iterations with seed ${run.seed}.`
              : 'Not run yet.'}
      </p>
      {results && chart && run.kind === 'done' ? (
        <>
          <OutputChoice outputs={model.outputs} value={output} onChange={setOutput} />
          <figure className="chart-figure">
            <figcaption>{output} under each scenario (value at each cumulative %)</figcaption>
            <Chart
              label={`S-curves of ${output} under the scenarios ${run.names.join(', ')}`}
              testId="scenario-chart"
              data={chart.data}
              options={chart.options}
            />
          </figure>
          <table className="table" data-testid="scenario-results">
            <caption className="visually-hidden">Results of each scenario side by side</caption>
            <thead>
              <tr>
                <th scope="col">Output</th>
                <th scope="col">Statistic</th>
                {run.names.map((n) => (
                  <th key={n} scope="col">
                    {n}
                  </th>
                ))}
                {run.names.slice(1).map((n) => (
                  <th key={`d-${n}`} scope="col">
                    Δ {n}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {results.map((row) => (
                <tr
                  key={`${row.output}.${row.statistic}`}
                  data-testid={`scenario-result-${row.output}-${row.statistic}`}
                >
                  <th scope="row">{row.output}</th>
                  <th scope="row">{row.statistic}</th>
                  {row.values.map((v, i) => (
                    <NumberCell key={i} value={v} text={formatNumber(v)} />
                  ))}
                  {row.differences.slice(1).map((v, i) => (
                    <NumberCell key={`d${i}`} value={v} text={formatNumber(v)} />
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </AnalysisSection>
  );
}
