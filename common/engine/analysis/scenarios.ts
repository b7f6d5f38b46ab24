import { InputSchema, type Model } from '../../model/model';
import type { SimulationSummary } from '../summary';

/**
 * Scenarios (@RISK's RiskSimtable, Crystal Ball's decision table): a table whose columns are
 * distribution parameters of inputs and whose rows are scenarios, each giving some of those
 * parameters a value of its own (an empty cell keeps the model's). Every scenario is run with the
 * same seed, so the differences between them are the parameters', not the random numbers'.
 */
export interface ScenarioParameter {
  input: string;
  /** A numeric parameter of the input's distribution (e.g. "mean", "max"), or "shift". */
  parameter: string;
}

export interface Scenario {
  name: string;
  /** One per table column; null keeps the model's value. */
  values: (number | null)[];
}

export interface ScenarioTable {
  parameters: ScenarioParameter[];
  scenarios: Scenario[];
}

/** Every numeric parameter of every input the table may change, with the model's value. */
export function scenarioParameters(model: Model): (ScenarioParameter & { value: number })[] {
  return model.inputs.flatMap((input) => {
    const own = Object.entries(input.dist)
      .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
      .map(([parameter, value]) => ({ input: input.name, parameter, value }));
    return [...own, { input: input.name, parameter: 'shift', value: input.shift ?? 0 }];
  });
}

export type ScenarioModel = { ok: true; model: Model } | { ok: false; errors: string[] };

/**
 * The model with one scenario's values in place, each changed input checked by the model schema;
 * every problem is named at once ("scenario High: sitework: needs min ≤ mode ≤ max and min < max").
 */
export function applyScenario(model: Model, table: ScenarioTable, scenario: Scenario): ScenarioModel {
  const errors: string[] = [];
  const known = new Map(scenarioParameters(model).map((p) => [`${p.input}.${p.parameter}`, p]));
  const changed = new Map<string, Model['inputs'][number]>();
  table.parameters.forEach((column, j) => {
    const value = scenario.values[j];
    if (value === null || value === undefined) return;
    if (!known.has(`${column.input}.${column.parameter}`)) {
      errors.push(`scenario ${scenario.name}: ${column.input} has no parameter "${column.parameter}"`);
      return;
    }
    if (!Number.isFinite(value)) {
      errors.push(`scenario ${scenario.name}: ${column.input} ${column.parameter} must be a number`);
      return;
    }
    // A JSON copy: an input is plain JSON, and common/ has no structuredClone.
    const input =
      changed.get(column.input) ??
      (JSON.parse(JSON.stringify(model.inputs.find((i) => i.name === column.input)!)) as Model['inputs'][number]);
    if (column.parameter === 'shift') input.shift = value;
    else (input.dist as Record<string, unknown>)[column.parameter] = value;
    changed.set(column.input, input);
  });
  for (const [name, input] of changed) {
    const checked = InputSchema.safeParse(input);
    if (!checked.success)
      for (const issue of checked.error.issues) {
        const where = issue.path.filter((part) => part !== 'dist').join('.');
        errors.push(`scenario ${scenario.name}: ${name}${where ? ` ${where}` : ''}: ${issue.message}`);
      }
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    model: { ...model, inputs: model.inputs.map((input) => changed.get(input.name) ?? input) },
  };
}

/** Every scenario's problems at once, before anything runs. */
export function scenarioErrors(model: Model, table: ScenarioTable): string[] {
  const errors: string[] = [];
  const names = new Set<string>();
  for (const scenario of table.scenarios) {
    if (!scenario.name.trim()) errors.push('every scenario needs a name');
    else if (names.has(scenario.name)) errors.push(`two scenarios are named ${scenario.name}`);
    names.add(scenario.name);
    const applied = applyScenario(model, table, scenario);
    if (!applied.ok) errors.push(...applied.errors);
  }
  return errors;
}

export interface ScenarioResultRow {
  output: string;
  statistic: string;
  /** One per scenario, in table order. */
  values: number[];
  /** values[i] − values[0]: the difference from the first scenario. */
  differences: number[];
}

/** The results side by side: for each output, its mean, sd and percentiles under each scenario. */
export function scenarioResults(
  outputs: readonly string[],
  summaries: readonly SimulationSummary[],
): ScenarioResultRow[] {
  const statistics: [string, (s: SimulationSummary['outputs'][string]) => number][] = [
    ['mean', (s) => s.mean],
    ['sd', (s) => s.sd],
    ['P5', (s) => s.percentiles.p5],
    ['P50', (s) => s.percentiles.p50],
    ['P95', (s) => s.percentiles.p95],
  ];
  return outputs.flatMap((output) =>
    statistics.map(([statistic, read]) => {
      const values = summaries.map((summary) => {
        const stats = summary.outputs[output];
        return stats ? read(stats) : Number.NaN;
      });
      return { output, statistic, values, differences: values.map((v) => v - values[0]!) };
    }),
  );
}
