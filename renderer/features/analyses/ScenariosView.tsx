import { useMemo, useRef, useState } from 'react';
import type uPlot from 'uplot';
import {
  applyScenario,
  scenarioErrors,
  scenarioParameters,
  scenarioResults,
} from '../../../common/engine/analysis/scenarios';
import { compileModel } from '../../../common/engine/compile-model';
import type { SimulationSummary } from '../../../common/engine/summary';
import type { Model } from '../../../common/model/model';
import { Chart, themedAxes } from '../run/Chart';
import { formatNumber } from '../run/format';
import { firstScenarioDraft, readScenarioDraft, ScenarioGrid, type ScenarioDraft } from './ScenarioGrid';
import { AnalysisSection, NumberCell } from './AnalysisSection';
import { seriesColor } from './series-colors';
import { OutputChoice } from './StatisticChoice';
import { shownMarking, type ShownMarking } from './shown-marking';
import type { RunScenario } from './types';

type Run =
  | { kind: 'idle' }
  | { kind: 'running'; done: number; total: number }
  | { kind: 'done'; names: string[]; summaries: SimulationSummary[]; seed: number; iterations: number }
  | { kind: 'failed'; message: string };

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
  const [draft, setDraft] = useState<ScenarioDraft>(() => firstScenarioDraft(parameters));
  const [seedText, setSeedText] = useState(String(defaults.seed));
  const [iterationsText, setIterationsText] = useState(String(defaults.iterations));
  const [run, setRun] = useState<Run>({ kind: 'idle' });
  const [output, setOutput] = useState(model.outputs[0]!);
  const abort = useRef<AbortController | null>(null);

  const { table, problems: cellProblems } = readScenarioDraft(draft);
  const seed = wholeNumber(seedText, 0, 2 ** 32 - 1);
  const iterations = wholeNumber(iterationsText, 100, 10_000_000);
  const problems = [
    ...cellProblems,
    ...scenarioErrors(model, table),
    ...(seed === null ? ['The seed is a whole number from 0 to 4,294,967,295.'] : []),
    ...(iterations === null ? ['Iterations are a whole number from 100 to 10,000,000.'] : []),
  ];
  const marking = shownMarking(model, [...model.outputs, ...draft.parameters.map((p) => p.input)], banner);

  const edit = (change: (d: ScenarioDraft) => ScenarioDraft) => {
    setDraft(change);
    if (run.kind !== 'running') setRun({ kind: 'idle' });
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
      <ScenarioGrid
        parameters={parameters}
        draft={draft}
        edit={edit}
        testIds={{ table: 'scenario-editor', row: (i) => `scenario-row-${i}` }}
      >
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
      </ScenarioGrid>
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
