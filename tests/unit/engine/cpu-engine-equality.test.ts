import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileModel } from '../../../common/engine/compile-model';
import { buffersOf } from '../../../common/engine/cpu/messages';
import { BLOCK_ITERATIONS } from '../../../common/engine/cpu/partition';
import { summarizeRun } from '../../../common/engine/cpu/summarize-pieces';
import { simulateCpu } from '../../../common/engine/simulate-cpu';
import { summarize } from '../../../common/engine/statistics';
import type { SimulationSummary } from '../../../common/engine/summary';
import { simulateOnAllCores } from '../../../electron/services/engine/thread-pool';
import { CpuWorkerPool } from '../../../renderer/engine/cpu/pool';
import { DISCRETE_OUTPUTS } from '../../support/fixtures/engine-models';
import { repoRoot } from '../../support/services';
import { bundleRendererWorker, startWorkerThreadPort } from './web-worker-in-node';

// One CPU engine, two transports: the same model, seed, sampling and iterations give bit-identical
// statistics and sensitivity from the CLI's worker-thread pool and from the app's Web Worker pool
// (its real worker, renderer/engine/cpu/worker.ts, run in worker threads: Node has no Web Workers),
// on different numbers of workers.

const threadWorker = join(repoRoot, 'dist', 'node', 'engine-worker.cjs');
const examples = join(repoRoot, 'resources', 'models');
const MODELS: [string, unknown][] = [
  ...readdirSync(examples)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f): [string, unknown] => [f, JSON.parse(readFileSync(join(examples, f), 'utf8'))]),
  ['DISCRETE_OUTPUTS', DISCRETE_OUTPUTS],
];

interface Options {
  sampling: 'mc' | 'lhs';
  seed: number;
  iterations: number;
  keepInputs: number;
}
// Iteration counts that are not a multiple of the moment block, so partitions split blocks.
const OPTION_SETS: Options[] = [
  { sampling: 'mc', seed: 1, iterations: 120_001, keepInputs: 120_001 },
  { sampling: 'mc', seed: 20261122, iterations: 100_003, keepInputs: 30_000 },
  { sampling: 'lhs', seed: 7, iterations: 90_017, keepInputs: 90_017 },
  { sampling: 'mc', seed: 4_294_967_295, iterations: 60_000, keepInputs: 0 },
];

let bundle: { path: string; remove(): void };
let app: CpuWorkerPool;
beforeAll(async () => {
  bundle = await bundleRendererWorker(repoRoot);
  app = new CpuWorkerPool(2, () => startWorkerThreadPort(bundle.path));
});
afterAll(() => {
  app?.dispose();
  bundle?.remove();
});

/** The CLI's run and summary (hosts/cli/simulate-command.ts). */
async function cli(model: unknown, o: Options, workers: number): Promise<SimulationSummary> {
  const compiled = compileModel(model);
  if (!compiled.ok) throw new Error(compiled.errors.join('; '));
  const values = await simulateOnAllCores(compiled.compiled, { ...o, workerPath: threadWorker, workers });
  return summarizeRun(values, Math.min(o.keepInputs, o.iterations));
}

/** The app's run and summary (renderer/engine/run-simulation.ts): the pieces go to a statistics worker. */
async function inApp(model: unknown, o: Options): Promise<SimulationSummary> {
  const compiled = compileModel(model);
  if (!compiled.ok) throw new Error(compiled.errors.join('; '));
  const pieces = await app.runForSummary(compiled.compiled, o);
  const reply = await app.send(0, { kind: 'summarize', pieces }, buffersOf(pieces.outputs, pieces.inputs));
  if (reply.kind !== 'summarized') throw new Error(`the statistics worker answered ${reply.kind}`);
  return reply.summary;
}

describe('one CPU engine', () => {
  for (const [name, model] of MODELS)
    for (const o of OPTION_SETS)
      it(`${name}, ${o.sampling}, seed ${o.seed}, ${o.iterations} iterations, ${o.keepInputs} kept: CLI and app agree bit for bit`, async () => {
        const fromCli = await cli(model, o, 3);
        const fromApp = await inApp(model, o);
        expect(Object.keys(fromApp.outputs).length).toBeGreaterThan(0);
        // Deep equality of every statistic: moments, percentiles, CDF, histogram, CI, counts, and the sensitivity.
        expect(fromApp).toStrictEqual(fromCli);
        if (o.keepInputs > 0)
          for (const s of Object.values(fromApp.sensitivity)) expect(s.iterations).toBe(o.keepInputs);
      });

  it('gives the statistics of a single-threaded run, whatever the number of workers', async () => {
    const [, model] = MODELS[0]!;
    const o: Options = { sampling: 'mc', seed: 11, iterations: 30 * BLOCK_ITERATIONS + 123, keepInputs: 0 };
    const compiled = compileModel(model, BLOCK_ITERATIONS);
    if (!compiled.ok) throw new Error(compiled.errors.join('; '));
    const single = simulateCpu(compiled.compiled, { ...o, moments: true });
    const runs = await Promise.all([1, 2, 5].map((workers) => cli(model, { ...o }, workers)));
    runs.push(await inApp(model, o));
    for (const run of runs)
      for (const output of compiled.compiled.outputs)
        expect(run.outputs[output]).toStrictEqual(
          summarize(single.outputs[output]!, undefined, single.moments![output]),
        );
  });
});
