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

/**
 * A risk register, for the discrete outputs' figure of engine.bench.ts: three risks that occur
 * or not, each with a cost if it does, and a count of incidents. Its outputs are a count, the
 * number of risks that occurred, and a cost that is zero in about half the iterations.
 */
export const RISK_REGISTER_MODEL = {
  format: 'enclave-model/1',
  name: 'benchmark risk register',
  marking: 'UNCLASSIFIED',
  inputs: [
    { name: 'r1', dist: { type: 'bernoulli', p: 0.2 } },
    { name: 'r2', dist: { type: 'bernoulli', p: 0.1 } },
    { name: 'r3', dist: { type: 'bernoulli', p: 0.3 } },
    { name: 'c1', dist: { type: 'triangular', min: 10, mode: 20, max: 60 } },
    { name: 'c2', dist: { type: 'triangular', min: 50, mode: 80, max: 200 } },
    { name: 'c3', dist: { type: 'triangular', min: 5, mode: 8, max: 15 } },
    { name: 'incidents', dist: { type: 'poisson', lambda: 4 } },
  ],
  formulas: [
    { name: 'occurred', expr: 'r1 + r2 + r3' },
    { name: 'risk_cost', expr: 'r1 * c1 + r2 * c2 + r3 * c3' },
  ],
  outputs: ['occurred', 'risk_cost', 'incidents'],
};
