import { useEffect, useState } from 'react';
import { resultsFromSaved } from '../../../common/engine/saved-run-results';
import type { SimulationSummary } from '../../../common/engine/summary';
import type { SavedRunSummary } from '../../../common/ipc/contract';
import { MAX_REPORT_RUNS } from '../../../common/report/report-definition';
import { getBridge } from '../../ipc/bridge';
import type { ExportPick } from '../../state/bundle-export-state';
import { useLibraryState, type ModelSummary } from '../../state/library-state';
import { OutputCharts } from '../run/OutputCharts';
import { StatisticsTable } from '../run/StatisticsTable';
import { ModelBanner } from './ModelBanner';
import { minuteUtc } from './model-permissions';
import { useFocusOnOpen } from './use-focus-on-open';

/** The runs a report starts with: the newest run's version's runs (a report is of one version), newest first. */
const reportRuns = (runs: SavedRunSummary[]) =>
  runs
    .filter((run) => run.model.version === runs[0]!.model.version)
    .slice(0, MAX_REPORT_RUNS)
    .map((run) => run.id);

/** A saved run opened here: its facts and its statistics, as the service keeps them. */
interface OpenedRun {
  run: SavedRunSummary;
  summary: SimulationSummary;
}

/**
 * The saved runs of one model, for whoever may read it — a viewer too (docs/roles.md: a viewer
 * reads): the list, and one run's statistics and charts, read from the store without running
 * anything. Running, saving and analysing are the run screen's, for analysts.
 */
export function RunsPanel({
  model,
  onReport,
  onExportBundle,
}: {
  model: ModelSummary;
  /** Opens the bundle export screen with one run picked (its model version comes along). */
  onExportBundle?: (pick: ExportPick, label: string) => void;
  /** Opens the report builder on these runs (where the role may build reports). */
  onReport?: (model: number, runs: number[]) => void;
}) {
  const closePanel = useLibraryState((s) => s.closePanel);
  const heading = useFocusOnOpen(model.id);
  const [runs, setRuns] = useState<SavedRunSummary[] | null>(null);
  const [opened, setOpened] = useState<OpenedRun | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    void getBridge()
      .runs.list({ model: model.id })
      .then((answer) => {
        if (!current) return;
        if (answer.ok) setRuns(answer.value.runs);
        else setProblem(answer.error.message);
      });
    return () => {
      current = false;
    };
  }, [model.id]);

  async function open(run: SavedRunSummary) {
    setProblem(null);
    const answer = await getBridge().runs.open({ id: run.id });
    if (!answer.ok) return setProblem(answer.error.message);
    setOpened({ run: answer.value.run, summary: resultsFromSaved(answer.value.results).summary });
  }

  return (
    <section className="panel library-panel" aria-labelledby="runs-title" data-testid="runs-panel">
      <div className="panel__heading">
        <h2 id="runs-title" tabIndex={-1} ref={heading}>
          Saved runs of “{model.name}”
        </h2>
        <button type="button" className="button button--small" onClick={closePanel} data-testid="panel-close">
          Close
        </button>
      </div>
      {problem && (
        <p className="field-problem" role="alert" data-testid="runs-problem">
          {problem}
        </p>
      )}
      {!runs && !problem && <p>Reading the saved runs…</p>}
      {runs?.length === 0 && <p data-testid="runs-none">No run of this model has been saved.</p>}
      {onReport && runs && runs.length > 0 && (
        <button
          type="button"
          className="button"
          onClick={() => onReport(model.id, reportRuns(runs))}
          data-testid="runs-report"
        >
          Report from these runs
        </button>
      )}
      {runs && runs.length > 0 && (
        <table className="table" data-testid="runs-table">
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Version</th>
              <th scope="col">Marking</th>
              <th scope="col">Iterations</th>
              <th scope="col">Seed</th>
              <th scope="col">Saved by</th>
              <th scope="col">Saved</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.id} data-testid="runs-row">
                <th scope="row">{run.name || `Run #${run.id}`}</th>
                <td>{run.model.version}</td>
                <td>
                  <ModelBanner banner={run.banner} />
                </td>
                <td>{run.iterations.toLocaleString('en-US')}</td>
                <td>{run.seed}</td>
                <td>{run.owner.name}</td>
                <td>{minuteUtc(run.savedAt)}</td>
                <td>
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => void open(run)}
                    data-testid="runs-open"
                  >
                    Show results
                  </button>
                  {onExportBundle && (
                    <button
                      type="button"
                      className="button button--small"
                      onClick={() =>
                        onExportBundle(
                          { kind: 'run', run: run.id },
                          `run “${run.name || `Run #${run.id}`}” of “${model.name}” version ${run.model.version}`,
                        )
                      }
                      aria-label={`Export bundle of run ${run.name || `#${run.id}`}…`}
                      data-testid="runs-export-bundle"
                    >
                      Export bundle…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {opened && (
        <div data-testid="runs-results" data-run={opened.run.id}>
          <h3>
            {opened.run.name || `Run #${opened.run.id}`} — <ModelBanner banner={opened.run.banner} />
          </h3>
          <p className="muted">
            Version {opened.run.model.version}, {opened.run.iterations.toLocaleString('en-US')} iterations (
            {opened.run.sampling === 'lhs' ? 'Latin Hypercube' : 'Monte Carlo'}, seed {opened.run.seed}),{' '}
            {opened.run.engineDescription}; saved by {opened.run.owner.name}. Shown as kept, without running it again.
          </p>
          {Object.entries(opened.summary.outputs).map(([output, stats]) => (
            <article key={output} className="output" data-testid={`runs-output-${output}`}>
              <h4>{output}</h4>
              <div className="output__grid">
                <StatisticsTable output={output} stats={stats} />
                <OutputCharts output={output} stats={stats} />
              </div>
            </article>
          ))}
        </div>
      )}
    </section>
  );
}
