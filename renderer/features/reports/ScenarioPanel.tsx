import { REPORT_SCENARIO_MAX_ITERATIONS } from '../../engine/report-data';
import { useReportBuilderState } from '../../state/report-builder-state';
import { ScenarioTableEditor } from './ScenarioTableEditor';

/** The scenario section's table and its run at the baseline's seed (only while that section is on). */
export function ScenarioPanel() {
  const on = useReportBuilderState((s) => s.draft.sections.some((x) => x.kind === 'scenarios' && x.on));
  const table = useReportBuilderState((s) => s.draft.scenarios);
  const source = useReportBuilderState((s) => s.source);
  const busy = useReportBuilderState((s) => s.busy);
  const edit = useReportBuilderState((s) => s.edit);
  const runScenarios = useReportBuilderState((s) => s.runScenarios);
  const ran = useReportBuilderState((s) => s.currentScenarios() !== null);
  const baseline = useReportBuilderState((s) =>
    s.draft.runs[0] !== undefined ? s.loaded[s.draft.runs[0]] : undefined,
  );
  if (!on) return null;
  return (
    <section className="panel" aria-labelledby="report-scenarios-title">
      <h2 id="report-scenarios-title">Scenarios</h2>
      {!source || !baseline ? (
        <p className="muted">Choose the model and its runs first.</p>
      ) : (
        <>
          <ScenarioTableEditor
            key={source.modelVersion.version}
            model={source.model}
            value={table}
            onChange={(scenarios) => edit((d) => ({ ...d, scenarios }))}
          />
          <p className="muted">
            Each scenario runs on the CPU with the baseline’s seed ({baseline.seed}) and{' '}
            {Math.min(baseline.iterations, REPORT_SCENARIO_MAX_ITERATIONS).toLocaleString('en-US')} iterations, after
            the service’s word on each.
          </p>
          <button
            type="button"
            className="button"
            disabled={!table || busy !== null}
            onClick={() => void runScenarios()}
            data-testid="report-run-scenarios"
          >
            {ran ? 'Scenarios run ✓ — run again' : 'Run the scenarios'}
          </button>
        </>
      )}
    </section>
  );
}
