/**
 * The benchmark's reference model (engine issue): normal, lognormal, triangular, PERT and uniform
 * inputs, one formula with max. engine.bench.ts and webgpu.bench.ts both run it.
 */
export const REFERENCE_MODEL = {
  format: 'enclave-model/1',
  name: 'benchmark reference',
  marking: 'UNCLASSIFIED',
  inputs: [
    { name: 'labor', dist: { type: 'normal', mean: 100, sd: 15 } },
    { name: 'material', dist: { type: 'lognormal', mean: 50, sd: 12 } },
    { name: 'equipment', dist: { type: 'triangular', min: 10, mode: 20, max: 45 } },
    { name: 'duration', dist: { type: 'pert', min: 30, mode: 45, max: 90 } },
    { name: 'overhead', dist: { type: 'uniform', min: 0.05, max: 0.15 } },
  ],
  formulas: [{ name: 'total', expr: 'max(labor + material + equipment, duration * 3) * (1 + overhead)' }],
  outputs: ['total'],
};
