/** Real report data for the report tests: an example model compiled and run on the CPU engine. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileModel } from '../../../common/engine/compile-model';
import { convergenceTrace } from '../../../common/engine/cpu/convergence-trace';
import { simulateCpu } from '../../../common/engine/simulate-cpu';
import { summarizeSimulation } from '../../../common/engine/summary';
import { DEFAULT_POLICY } from '../../../common/markings';
import { ModelSchema, type Model } from '../../../common/model/model';
import type { ReportData, ReportRun } from '../../../common/report/report-data';
import { repoRoot } from '../../support/services';

export function exampleModel(file = 'project-cost-schedule.json'): Model {
  return ModelSchema.parse(JSON.parse(readFileSync(join(repoRoot, 'resources', 'models', file), 'utf8')));
}

/** One run of a model, as the store would hand it to the report builder (samples kept or not). */
export function realRun(model: Model, seed: number, iterations: number, label: string, keep: boolean): ReportRun {
  const compiled = compileModel(model);
  if (!compiled.ok) throw new Error(compiled.errors.join('; '));
  const values = simulateCpu(compiled.compiled, { iterations, seed, keepInputs: iterations });
  const inputs = values.inputs!;
  return {
    label,
    banner: model.marking,
    seed,
    sampling: 'mc',
    engine: 'cpu',
    engineDescription: 'CPU, 1 thread (test)',
    iterations,
    appVersion: '0.15.0-test',
    startedAt: '2026-12-01T09:00:00.000Z',
    finishedAt: '2026-12-01T09:00:02.000Z',
    autoStop: null,
    summary: summarizeSimulation({ outputs: values.outputs, inputs }),
    trace: Object.fromEntries(Object.entries(values.outputs).map(([name, v]) => [name, convergenceTrace(v)])),
    samples: keep ? { iterations, inputs, outputs: values.outputs } : null,
  };
}

export function reportData(model: Model, runs: ReportRun[], over: Partial<ReportData> = {}): ReportData {
  return {
    model,
    modelVersion: { name: model.name, version: 3, sha256: 'ab'.repeat(32) },
    runs,
    scenarioSummaries: null,
    appVersion: '0.15.0-test',
    createdAt: '2026-12-02T10:30:00.000Z',
    policy: DEFAULT_POLICY,
    systemHigh: 'SECRET//NOFORN',
    authorityDefaults: null,
    ...over,
  };
}
