import { execFileSync } from 'node:child_process';
import { compileModel } from '../../common/engine/compile-model';
import { join } from 'node:path';
import { simulateOnAllCores } from '../../electron/services/engine/cpu-pool';
import { REFERENCE_MODEL } from './reference-model';

// Engine benchmark (issue: CPU engine vs vectorised numpy, same model, same run). The reference
// model: normal, lognormal, triangular, pert and uniform inputs, one formula with max.
const ITERATIONS = Number(process.env.ENCLAVE_BENCH_ITERATIONS ?? 10_000_000);
const model = REFERENCE_MODEL;

const compiled = compileModel(model, 8192);
if (!compiled.ok) throw new Error(compiled.errors.join('\n'));
const start = process.hrtime.bigint();
const { statistics } = await simulateOnAllCores(compiled.compiled, { iterations: ITERATIONS, seed: 1, sampling: 'mc', keepInputs: 0, workerPath: join(process.cwd(), 'dist', 'node', 'engine-worker.cjs') });
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
const [numpySeconds, numpyMean, numpyMedian] = execFileSync('python3', ['-c', numpy], { encoding: 'utf8' }).trim().split(' ').map(Number) as [number, number, number];

const rate = (s: number) => (ITERATIONS / s).toLocaleString('en-US', { maximumFractionDigits: 0 });
console.log(`reference model, ${ITERATIONS.toLocaleString('en-US')} iterations, exact percentiles`);
console.log(`  Enclave CPU engine (all cores):   ${enclaveSeconds.toFixed(2)} s = ${rate(enclaveSeconds)} iterations/s (mean ${stats.mean.toFixed(3)}, median ${stats.percentiles.p50.toFixed(3)})`);
console.log(`  numpy peer:                      ${numpySeconds.toFixed(2)} s = ${rate(numpySeconds)} iterations/s (mean ${numpyMean.toFixed(3)}, median ${numpyMedian.toFixed(3)})`);
console.log(`  ratio Enclave / numpy: ${(numpySeconds / enclaveSeconds).toFixed(2)}× (target ≥ 2×)`);
