import { scenarioResults } from '../../engine/analysis/scenarios';
import type { ReportCell, ReportColumn } from '../report-document';
import { numberCell, numberColumn } from '../report-numbers';
import type { SectionContext } from './section-context';

/** The scenario table (each scenario's parameter values) and the results side by side, from the scenario summaries. */
export function scenariosSection(ctx: SectionContext): void {
  const table = ctx.definition.scenarios;
  const summaries = ctx.data.scenarioSummaries;
  if (!table) {
    ctx.paragraph('none', 'No scenarios were defined for this report.');
    return;
  }
  if (!summaries) {
    ctx.paragraph('not-run', `The ${table.scenarios.length} scenario(s) of this report have not been run yet.`);
    return;
  }
  const parameterRows: ReportCell[][] = table.scenarios.map((scenario) => [
    scenario.name,
    ...table.parameters.map((_, j) => numberCell(scenario.values[j] ?? undefined)),
  ]);
  ctx.table(
    'table-1',
    "Scenarios: the parameters each one sets (empty: the model's value)",
    'Scenarios',
    [
      { label: 'Scenario', kind: 'text' },
      ...table.parameters.map((p, j) => numberColumn(`${p.input} ${p.parameter}`, parameterRows, j + 1)),
    ],
    parameterRows,
  );
  const names = table.scenarios.map((s) => s.name);
  const resultRows: ReportCell[][] = scenarioResults(ctx.outputs, summaries).map((row) => [
    row.output,
    row.statistic,
    ...row.values.map(numberCell),
    ...row.differences.slice(1).map(numberCell),
  ]);
  const columns: ReportColumn[] = [
    { label: 'Output', kind: 'text' },
    { label: 'Statistic', kind: 'text' },
    ...names.map((name, i) => numberColumn(name, resultRows, i + 2)),
    ...names.slice(1).map((name, i) => numberColumn(`${name} − ${names[0]}`, resultRows, names.length + i + 2)),
  ];
  ctx.table(
    'table-2',
    `Results of each scenario, at the seed of ${ctx.baseline.label}`,
    'Scenarios',
    columns,
    resultRows,
  );
}
