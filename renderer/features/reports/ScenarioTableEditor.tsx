import { useMemo, useState } from 'react';
import { scenarioErrors, scenarioParameters } from '../../../common/engine/analysis/scenarios';
import type { Model } from '../../../common/model/model';
import type { ReportScenarioTable } from '../../../common/report/report-definition';
import { firstScenarioDraft, readScenarioDraft, ScenarioGrid, type ScenarioDraft } from '../analyses/ScenarioGrid';

const draftOf = (table: ReportScenarioTable | null): ScenarioDraft | null =>
  table && {
    parameters: table.parameters,
    rows: table.scenarios.map((s) => ({ name: s.name, cells: s.values.map((v) => (v === null ? '' : String(v))) })),
  };

/** The draft as a table, or the plain-words problems that keep it from being one. */
function tableOf(draft: ScenarioDraft, model: Model): { table: ReportScenarioTable | null; problems: string[] } {
  const { table, problems } = readScenarioDraft(draft);
  if (table.scenarios.some((s) => !s.name)) problems.push('Every scenario needs a name.');
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
  const [draft, setDraft] = useState<ScenarioDraft>(() => draftOf(value) ?? firstScenarioDraft(parameters));
  const { problems } = tableOf(draft, model);
  const edit = (change: (d: ScenarioDraft) => ScenarioDraft) => {
    const next = change(draft);
    setDraft(next);
    onChange(tableOf(next, model).table);
  };

  return (
    <div className="report-scenarios" data-testid="report-scenarios">
      <ScenarioGrid
        parameters={parameters}
        draft={draft}
        edit={edit}
        testIds={{ row: (i) => `report-scenario-${i}`, add: 'report-scenario-add' }}
      />
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
