// The report benchmark's data: a SECRET//NOFORN model with many outputs (each a cost element built
// from a few of twelve inputs), run twice on the CPU engine with samples kept, as the store would
// hand two saved runs to the report builder.
import { compileModel } from '../../common/engine/compile-model';
import { convergenceTrace } from '../../common/engine/cpu/convergence-trace';
import { simulateCpu } from '../../common/engine/simulate-cpu';
import { summarizeSimulation } from '../../common/engine/summary';
import { DEFAULT_POLICY } from '../../common/markings';
import { ModelSchema, type Model } from '../../common/model/model';
import type { ReportData, ReportRun } from '../../common/report/report-data';

export const BENCH_BANNER = 'SECRET//NOFORN';

export function manyOutputModel(outputs: number): Model {
  const inputs = Array.from({ length: 12 }, (_, i) => ({
    name: `driver_${String(i + 1).padStart(2, '0')}`,
    dist:
      i % 3 === 0
        ? { type: 'triangular', min: 80 + i, mode: 100 + i, max: 150 + 2 * i }
        : i % 3 === 1
          ? { type: 'normal', mean: 50 + i, sd: 5 + i / 2 }
          : { type: 'lognormal', mean: 20 + i, sd: 4 },
  }));
  const formulas = Array.from({ length: outputs }, (_, k) => {
    const [a, b, c] = [k % 12, (k * 5 + 3) % 12, (k * 7 + 1) % 12].map((i) => inputs[i]!.name);
    return {
      name: `cost_element_${String(k + 1).padStart(3, '0')}`,
      expr: `${1 + (k % 4)} * ${a} + ${b} * (1 + ${c} / 100)`,
    };
  });
  return ModelSchema.parse({
    format: 'enclave-model/1',
    name: `Programme cost, ${outputs} elements`,
    marking: BENCH_BANNER,
    description: 'Each cost element is built from three of twelve cost drivers.',
    inputs,
    correlations: [{ a: inputs[0]!.name, b: inputs[1]!.name, rank: 0.4 }],
    formulas,
    outputs: formulas.map((f) => f.name),
  });
}

export function benchRun(model: Model, seed: number, iterations: number, label: string): ReportRun {
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
    engineDescription: 'CPU, 1 thread (benchmark)',
    iterations,
    appVersion: 'bench',
    startedAt: '2026-12-01T09:00:00.000Z',
    finishedAt: '2026-12-01T09:00:02.000Z',
    autoStop: null,
    summary: summarizeSimulation({ outputs: values.outputs, inputs }),
    trace: Object.fromEntries(Object.entries(values.outputs).map(([name, v]) => [name, convergenceTrace(v)])),
    samples: { iterations, inputs, outputs: values.outputs },
  };
}

export function benchData(model: Model, runs: ReportRun[]): ReportData {
  return {
    model,
    modelVersion: { name: model.name, version: 1, sha256: 'ab'.repeat(32) },
    runs,
    scenarioSummaries: null,
    appVersion: 'bench',
    createdAt: '2026-12-02T10:30:00.000Z',
    policy: DEFAULT_POLICY,
    systemHigh: BENCH_BANNER,
    authorityDefaults: { classifiedBy: 'Bench Analyst', derivedFrom: 'Programme SCG', declassifyOn: '20511231' },
  };
}
