import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  applyScenario,
  scenarioErrors,
  scenarioParameters,
  scenarioResults,
  type ScenarioTable,
} from '../../../common/engine/analysis/scenarios';
import { compileModel } from '../../../common/engine/compile-model';
import { simulateCpu } from '../../../common/engine/simulate-cpu';
import { summarizeSimulation } from '../../../common/engine/summary';
import type { Model } from '../../../common/model/model';

const model = JSON.parse(
  readFileSync(new URL('../../../resources/models/project-cost-schedule.json', import.meta.url), 'utf8'),
) as Model;

/** The engine's run of a model: the same seed for every scenario. */
function run(m: Model) {
  const compiled = compileModel(m);
  if (!compiled.ok) throw new Error(compiled.errors.join('; '));
  const values = simulateCpu(compiled.compiled, { iterations: 20_000, seed: 42, keepInputs: 20_000 });
  return summarizeSimulation({ outputs: values.outputs, inputs: values.inputs! });
}

const table: ScenarioTable = {
  parameters: [
    { input: 'structure', parameter: 'max' },
    { input: 'design_change', parameter: 'p' },
  ],
  scenarios: [
    { name: 'Base', values: [null, null] },
    { name: 'Steel overrun', values: [4000, null] },
    { name: 'No design change', values: [null, 0] },
  ],
};

describe('scenarios', () => {
  it('lists every numeric parameter of every input with the model’s value', () => {
    const params = scenarioParameters(model);
    expect(params).toContainEqual({ input: 'structure', parameter: 'max', value: 3300 });
    expect(params).toContainEqual({ input: 'systems', parameter: 'sd', value: 250 });
    expect(params).toContainEqual({ input: 'delay_weeks', parameter: 'shift', value: 0 });
  });

  it('runs each scenario with the same seed: an empty row is the model itself, bit for bit', () => {
    const summaries = table.scenarios.map((s) => {
      const applied = applyScenario(model, table, s);
      if (!applied.ok) throw new Error(applied.errors.join('; '));
      return run(applied.model);
    });
    const base = run(model);
    expect(summaries[0]!.outputs.total_cost!.mean).toBe(base.outputs.total_cost!.mean);
    const rows = scenarioResults(model.outputs, summaries);
    const mean = rows.find((r) => r.output === 'total_cost' && r.statistic === 'mean')!;
    // A longer tail on the structure raises the cost; no design change lowers it.
    expect(mean.differences[1]).toBeGreaterThan(100);
    expect(mean.differences[2]).toBeLessThan(-50);
    // The delay does not depend on either: with the same seed its results are identical.
    const delay = rows.find((r) => r.output === 'delay_weeks' && r.statistic === 'P95')!;
    expect(delay.differences).toEqual([0, 0, 0]);
    expect(rows.map((r) => r.statistic).slice(0, 5)).toEqual(['mean', 'sd', 'P5', 'P50', 'P95']);
  });

  it('names every bad value at once, with its scenario and input, and changes nothing', () => {
    const before = JSON.stringify(model);
    const bad: ScenarioTable = {
      parameters: [
        { input: 'structure', parameter: 'max' },
        { input: 'design_change', parameter: 'p' },
        { input: 'sitework', parameter: 'sd' },
      ],
      scenarios: [
        { name: 'Low', values: [1000, 1.5, null] },
        { name: 'Low', values: [null, null, 3] },
        { name: ' ', values: [null, null, null] },
      ],
    };
    expect(scenarioErrors(model, bad)).toEqual([
      'scenario Low: structure: needs min ≤ mode ≤ max and min < max',
      'scenario Low: design_change p: p must be between 0 and 1',
      'two scenarios are named Low',
      'scenario Low: sitework has no parameter "sd"',
      'every scenario needs a name',
    ]);
    expect(JSON.stringify(model)).toBe(before);
  });
});
