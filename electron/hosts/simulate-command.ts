import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { compileModel } from '../../common/engine/compile-model';
import { simulateOnAllCores } from '../services/engine/cpu-pool';
import { nodeBundle } from './app-paths';
import { sensitivity } from '../../common/engine/sensitivity';
import { summarize, type OutputStatistics } from '../../common/engine/statistics';

interface Io {
  json: boolean;
  out(text: string): void;
  err(text: string): void;
  setExit(code: number): void;
}

const integer = (name: string, min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max}`);
  return n;
};

function table(name: string, s: OutputStatistics): string {
  const f = (x: number) => (Math.abs(x) >= 1e6 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(4) : x.toFixed(4));
  return [
    `${name}`,
    `  mean ${f(s.mean)}  (95% CI ${f(s.ci95[0])} to ${f(s.ci95[1])})  sd ${f(s.sd)}`,
    `  min ${f(s.min)}  max ${f(s.max)}  skewness ${f(s.skewness)}  excess kurtosis ${f(s.kurtosis)}`,
    `  ${Object.entries(s.percentiles).map(([k, v]) => `${k} ${f(v)}`).join('  ')}`,
    ...(s.nonFinite ? [`  ${s.nonFinite} iterations gave no finite value (e.g. division by zero) and were left out`] : []),
  ].join('\n');
}

/** `enclave simulate <model.json> --iterations N --seed S [--engine cpu] [--json]` */
export function addSimulateCommand(program: Command, io: () => Io): void {
  program
    .command('simulate <model>')
    .description('run a Monte Carlo simulation of a model file (enclave-model/1) and print its statistics')
    .option('--iterations <n>', 'number of iterations', integer('--iterations', 1, 100_000_000), 10_000)
    .option('--seed <s>', 'random seed (runs with the same seed give the same results)', integer('--seed', 0, 2 ** 32 - 1), 1)
    .option('--engine <engine>', 'auto or cpu (the CLI has no GPU: auto means cpu)', 'auto')
    .option('--sampling <method>', 'mc (Monte Carlo) or lhs (Latin Hypercube)', 'mc')
    .action(async (file: string, options: { iterations: number; seed: number; engine: string; sampling: string }) => {
      const o = io();
      if (!['auto', 'cpu'].includes(options.engine)) {
        o.err(`enclave: --engine must be auto or cpu here (WebGPU runs in the app)`);
        return o.setExit(2);
      }
      if (options.sampling !== 'mc' && options.sampling !== 'lhs') {
        o.err(`enclave: --sampling must be mc or lhs`);
        return o.setExit(2);
      }
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        o.err(`${file}: not a readable JSON model (${(error as Error).message})`);
        return o.setExit(1);
      }
      const result = compileModel(raw);
      if (!result.ok) {
        for (const line of result.errors) o.err(`${file}: ${line}`);
        return o.setExit(1);
      }
      const adjustments = result.compiled.correlationAdjustments;
      // Never silently: a repaired correlation matrix is announced with what is used instead.
      for (const a of adjustments) {
        if (!o.json) o.err(`${file}: correlations: ${a.a}~${a.b} requested ${a.requested}, used ${a.used} (the requested matrix was not positive semi-definite; the nearest valid one is used)`);
      }
      const started = process.hrtime.bigint();
      // Sensitivity uses the first 200,000 iterations: the standard error of a rank correlation is
      // then below 0.003, and more changes nothing an analyst can see.
      const keep = Math.min(options.iterations, 200_000);
      const values = await simulateOnAllCores(result.compiled, {
        iterations: options.iterations,
        seed: options.seed,
        sampling: options.sampling as 'mc' | 'lhs',
        keepInputs: keep,
        workerPath: nodeBundle('engine-worker.cjs'),
      });
      const sensitivities = Object.fromEntries(Object.entries(values.outputs).map(([name, v]) => [name, sensitivity(values.inputs!, v.subarray(0, keep))]));
      const outputs = Object.fromEntries(Object.entries(values.outputs).map(([name, v]) => [name, summarize(v)]));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (o.json) {
        o.out(JSON.stringify({ model: result.compiled.model.name, marking: result.compiled.model.marking, outputs, sensitivity: sensitivities, correlationAdjustments: adjustments, iterations: options.iterations, seed: options.seed, engine: 'cpu', sampling: options.sampling, seconds }));
      } else {
        o.out(`${result.compiled.model.marking}\n${result.compiled.model.name}: ${options.iterations} iterations (${options.sampling}), seed ${options.seed}, cpu, ${seconds.toFixed(2)} s\n`);
        for (const [name, s] of Object.entries(outputs)) {
          o.out(table(name, s));
          const ranked = [...sensitivities[name]!.inputs].sort((a, b) => Math.abs(b.src) - Math.abs(a.src));
          o.out(`  sensitivity (R² ${sensitivities[name]!.rSquared.toFixed(3)}): ${ranked.map((i) => `${i.input} SRC ${i.src.toFixed(3)} rank ρ ${i.rankCorrelation.toFixed(3)} ${(100 * i.contributionToVariance).toFixed(1)}%`).join('; ')}`);
        }
      }
    });
}
