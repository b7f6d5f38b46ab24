import { useId } from 'react';
import { MAX_REPORT_RUNS } from '../../../common/report/report-definition';
import { reportRunLabel } from '../../engine/report-data';
import { useReportBuilderState } from '../../state/report-builder-state';
import { ModelBanner } from '../library/ModelBanner';
import { minuteUtc } from '../library/model-permissions';

/** The model (from the library) and its saved runs the report is of: the first run chosen is the baseline. */
export function SourcePicker() {
  const modelId = useId();
  const models = useReportBuilderState((s) => s.models);
  const savedRuns = useReportBuilderState((s) => s.savedRuns);
  const draft = useReportBuilderState((s) => s.draft);
  const editing = useReportBuilderState((s) => s.editing);
  const chooseModel = useReportBuilderState((s) => s.chooseModel);
  const toggleRun = useReportBuilderState((s) => s.toggleRun);
  const chosenModel = draft.model?.id ?? savedRuns?.[0]?.model.id ?? '';

  return (
    <section className="panel" aria-labelledby="report-source-title" data-testid="report-source">
      <h2 id="report-source-title">Model and runs</h2>
      <label htmlFor={modelId}>Model</label>{' '}
      <select
        id={modelId}
        className="field"
        value={chosenModel}
        disabled={editing !== null || !models}
        onChange={(e) => void chooseModel(Number(e.currentTarget.value))}
        data-testid="report-model"
      >
        <option value="">{models ? 'Choose a model of the library…' : 'Reading the library…'}</option>
        {models?.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name} ({m.banner})
          </option>
        ))}
      </select>
      {savedRuns?.length === 0 && (
        <p data-testid="report-no-runs">No run of this model has been saved: run it and save the run first.</p>
      )}
      {savedRuns && savedRuns.length > 0 && (
        <fieldset className="report-runs" data-testid="report-runs">
          <legend>Saved runs (the first chosen is the baseline; all of one model version)</legend>
          {savedRuns.map((run) => {
            const at = draft.runs.indexOf(run.id);
            const otherVersion = draft.model !== null && run.model.version !== draft.model.version;
            const full = at < 0 && draft.runs.length >= MAX_REPORT_RUNS;
            return (
              <label key={run.id} className="report-run" data-testid="report-run" data-run-id={run.id}>
                <input
                  type="checkbox"
                  checked={at >= 0}
                  disabled={(at < 0 && otherVersion) || full}
                  onChange={() => void toggleRun(run.id)}
                  data-testid="report-run-check"
                />{' '}
                {reportRunLabel(run)} — version {run.model.version}, seed {run.seed},{' '}
                {run.iterations.toLocaleString('en-US')} iterations, saved {minuteUtc(run.savedAt)}{' '}
                <ModelBanner banner={run.banner} />
                {at === 0 && <strong className="report-run__role"> baseline</strong>}
                {at > 0 && <span className="report-run__role"> compared ({at + 1})</span>}
                {at < 0 && otherVersion && <span className="muted"> (another model version)</span>}
              </label>
            );
          })}
        </fieldset>
      )}
    </section>
  );
}
