import { execFileSync } from 'node:child_process';
import { compileModel } from '../../common/engine/compile-model';
import { join } from 'node:path';
import { simulateOnAllCores } from '../../electron/services/engine/thread-pool';
import { REFERENCE_MODEL, RISK_REGISTER_MODEL } from './reference-model';

// Engine benchmark (issue: CPU engine vs vectorised numpy, same model, same run). The reference
// model: normal, lognormal, triangular, pert and uniform inputs, one formula with max.
const ITERATIONS = Number(process.env.ENCLAVE_BENCH_ITERATIONS ?? 10_000_000);
const model = REFERENCE_MODEL;

const compiled = compileModel(model, 8192);
if (!compiled.ok) throw new Error(compiled.errors.join('\n'));
const start = process.hrtime.bigint();
const { statistics } = await simulateOnAllCores(compiled.compiled, {
  iterations: ITERATIONS,
  seed: 1,
  sampling: 'mc',
  keepInputs: 0,
  workerPath: join(process.cwd(), 'dist', 'node', 'engine-worker.cjs'),
});
const stats = statistics.total!;
const enclaveSeconds = Number(process.hrtime.bigint() - start) / 1e9;

// The numpy peer: the same model vectorised, with exact percentiles (np.percentile) and moments.
const numpy = `
import time, numpy as np
n = ${ITERATIONS}
t = time.perf_counter()
rng = np.random.default_rng(1)
labor = rng.normal(100, 15, n)
s2 = np.log(1 + (12 / 50) ** 2)
material = rng.lognormal(np.log(50) - s2 / 2, np.sqrt(s2), n)
equipment = rng.triangular(10, 20, 45, n)
duration = 30 + 60 * rng.beta(1 + 4 * 15 / 60, 1 + 4 * 45 / 60, n)
overhead = rng.uniform(0.05, 0.15, n)
total = np.maximum(labor + material + equipment, duration * 3) * (1 + overhead)
p = np.percentile(total, [1, 5, 10, 25, 50, 75, 90, 95, 99])
m, sd = total.mean(), total.std(ddof=1)
print(time.perf_counter() - t, m, p[4])
`;
const [numpySeconds, numpyMean, numpyMedian] = execFileSync('python3', ['-c', numpy], { encoding: 'utf8' })
  .trim()
  .split(' ')
  .map(Number) as [number, number, number];

const rate = (s: number) => (ITERATIONS / s).toLocaleString('en-US', { maximumFractionDigits: 0 });
console.log(`reference model, ${ITERATIONS.toLocaleString('en-US')} iterations, exact percentiles`);
console.log(
  `  Enclave CPU engine (all cores):   ${enclaveSeconds.toFixed(2)} s = ${rate(enclaveSeconds)} iterations/s (mean ${stats.mean.toFixed(3)}, median ${stats.percentiles.p50.toFixed(3)})`,
);
console.log(
  `  numpy peer:                      ${numpySeconds.toFixed(2)} s = ${rate(numpySeconds)} iterations/s (mean ${numpyMean.toFixed(3)}, median ${numpyMedian.toFixed(3)})`,
);
console.log(`  ratio Enclave / numpy: ${(numpySeconds / enclaveSeconds).toFixed(2)}× (target ≥ 2×)`);

// Discrete outputs: a count, a sum of occurrences and a cost that is zero about half the time,
// whose percentiles fall in bins of a single value. numpy the same way, np.percentile per output.
const register = compileModel(RISK_REGISTER_MODEL, 8192);
if (!register.ok) throw new Error(register.errors.join('\n'));
const registerStart = process.hrtime.bigint();
const registerRun = await simulateOnAllCores(register.compiled, {
  iterations: ITERATIONS,
  seed: 1,
  sampling: 'mc',
  keepInputs: 0,
  workerPath: join(process.cwd(), 'dist', 'node', 'engine-worker.cjs'),
});
const registerSeconds = Number(process.hrtime.bigint() - registerStart) / 1e9;
const registerNumpy = `
import time, numpy as np
n = ${ITERATIONS}
t = time.perf_counter()
rng = np.random.default_rng(1)
r1, r2, r3 = rng.random(n) < 0.2, rng.random(n) < 0.1, rng.random(n) < 0.3
c1, c2, c3 = rng.triangular(10, 20, 60, n), rng.triangular(50, 80, 200, n), rng.triangular(5, 8, 15, n)
incidents = rng.poisson(4, n).astype(np.float64)
occurred = r1.astype(np.float64) + r2 + r3
risk_cost = r1 * c1 + r2 * c2 + r3 * c3
levels = [1, 5, 10, 25, 50, 75, 90, 95, 99]
p = [np.percentile(x, levels) for x in (occurred, risk_cost, incidents)]
m = [x.mean() for x in (occurred, risk_cost, incidents)]
print(time.perf_counter() - t, p[1][7], p[2][4])
`;
const [registerNumpySeconds, numpyCostP95, numpyIncidentsMedian] = execFileSync('python3', ['-c', registerNumpy], {
  encoding: 'utf8',
})
  .trim()
  .split(' ')
  .map(Number) as [number, number, number];
const cost = registerRun.statistics.risk_cost!;
console.log(
  `risk register (discrete outputs: a count, occurrences, a cost zero half the time), ${ITERATIONS.toLocaleString('en-US')} iterations, exact percentiles`,
);
console.log(
  `  Enclave CPU engine (all cores):   ${registerSeconds.toFixed(2)} s = ${rate(registerSeconds)} iterations/s (cost p50 ${cost.percentiles.p50.toFixed(3)}, p95 ${cost.percentiles.p95.toFixed(3)}; incidents median ${registerRun.statistics.incidents!.percentiles.p50})`,
);
console.log(
  `  numpy peer:                      ${registerNumpySeconds.toFixed(2)} s = ${rate(registerNumpySeconds)} iterations/s (cost p95 ${numpyCostP95.toFixed(3)}; incidents median ${numpyIncidentsMedian})`,
);
console.log(`  ratio Enclave / numpy: ${(registerNumpySeconds / registerSeconds).toFixed(2)}×`);
