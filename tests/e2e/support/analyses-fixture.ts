// The runs the analyses harness page (./analyses-page.tsx) shows and tests/e2e/analyses.spec.ts
// checks: the project cost example with portion marks, run twice on the CPU engine. The page and
// the spec build them with the same engine code, so the spec can recompute every analysis.
import example from '../../../resources/models/project-cost-schedule.json' with { type: 'json' };
import type { RunSamples } from '../../../common/engine/analysis/run-samples';
import { compileModel, type CompiledModel } from '../../../common/engine/compile-model';
import { simulateCpu } from '../../../common/engine/simulate-cpu';
import { summarizeSimulation, type SimulationSummary } from '../../../common/engine/summary';
import type { Model } from '../../../common/model/model';

export const ITERATIONS = 20_000;
export const SEEDS = [11, 12] as const;
export const BANNER = { text: 'SECRET//NOFORN', level: 'SECRET' } as const;

/** The example, marked: the model and the structure estimate SECRET//NOFORN, the delay and design change unclassified. */
export function fixtureModel(): Model {
  const model = structuredClone(example) as unknown as Model;
  model.marking = 'SECRET//NOFORN';
  for (const input of model.inputs) {
    if (input.name === 'structure') input.marking = 'SECRET//NOFORN';
    if (input.name === 'delay_weeks' || input.name === 'design_change') input.marking = 'UNCLASSIFIED';
  }
  return model;
}

export function compileFixture(model: Model = fixtureModel()): CompiledModel {
  const compiled = compileModel(model);
  if (!compiled.ok) throw new Error(compiled.errors.join('; '));
  return compiled.compiled;
}

/** One run of the CPU engine with its samples kept, as the run screen keeps them. */
export function runOnce(
  compiled: CompiledModel,
  seed: number,
  iterations = ITERATIONS,
): { samples: RunSamples; summary: SimulationSummary } {
  const values = simulateCpu(compiled, { iterations, seed, keepInputs: iterations });
  const samples: RunSamples = { iterations, inputs: values.inputs!, outputs: values.outputs };
  return { samples, summary: summarizeSimulation({ outputs: values.outputs, inputs: values.inputs! }) };
}

/** The runs of the first `runs` seeds, each of `iterations` (the spec's two of 20,000; its measurement's one of 1,000,000). */
export function fixtureRuns(
  compiled: CompiledModel = compileFixture(),
  iterations = ITERATIONS,
  runs: number = SEEDS.length,
) {
  return SEEDS.slice(0, runs).map((seed) => ({ label: `Seed ${seed}`, ...runOnce(compiled, seed, iterations) }));
}
