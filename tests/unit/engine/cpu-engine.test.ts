import { momentsOf } from '../../../common/engine/moments';
import { describe, expect, it } from 'vitest';
import { compileModel, type CompiledModel } from '../../../common/engine/compile-model';
import { summarizeSimulation, SENSITIVITY_ITERATIONS } from '../../../common/engine/summary';
import { simulateCpu } from '../../../common/engine/simulate-cpu';
import { summarizePieces } from '../../../common/engine/cpu/summarize-pieces';
import {
  CHUNK_ITERATIONS,
  MIN_ITERATIONS_PER_WORKER,
  planChunks,
  planPartitions,
} from '../../../common/engine/cpu/partition';
import { runPartition } from '../../../common/engine/cpu/run-partition';

// The CPU engine of common/engine/cpu, without the workers: the partition plan, each worker's
// chunked run (the same function both kinds of worker call) and the summary built from pieces.

function compiled(): CompiledModel {
  const result = compileModel(
    {
      format: 'enclave-model/1',
      name: 'pool',
      marking: 'UNCLASSIFIED',
      inputs: [
        { name: 'a', dist: { type: 'pert', min: 1, mode: 2, max: 9 } },
        { name: 'b', dist: { type: 'normal', mean: 0, sd: 1 } },
        { name: 'c', dist: { type: 'bernoulli', p: 0.3 } },
      ],
      correlations: [{ a: 'a', b: 'b', rank: 0.5 }],
      formulas: [{ name: 't', expr: 'a * exp(b / 4) + 3 * c' }],
      outputs: ['t', 'b'],
    },
    8192,
  );
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.compiled;
}

describe('planPartitions', () => {
  it.each([
    [1, 16],
    [8_191, 4],
    [50_000, 2],
    [200_000, 16],
    [1_000_003, 7],
    [100_000_000, 64],
  ])(
    '%i iterations on %i workers: contiguous, no overlap, every iteration once, sizes within one',
    (iterations, workers) => {
      const parts = planPartitions(iterations, workers);
      expect(parts.length).toBeGreaterThanOrEqual(1);
      expect(parts.length).toBeLessThanOrEqual(workers);
      expect(parts[0]!.first).toBe(0);
      for (let i = 1; i < parts.length; i++) expect(parts[i]!.first).toBe(parts[i - 1]!.first + parts[i - 1]!.count);
      expect(parts.reduce((n, p) => n + p.count, 0)).toBe(iterations);
      const sizes = parts.map((p) => p.count);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    },
  );

  it('starts no more workers than there are blocks of work', () => {
    expect(planPartitions(MIN_ITERATIONS_PER_WORKER, 16)).toHaveLength(1);
    expect(planPartitions(3 * MIN_ITERATIONS_PER_WORKER, 16)).toHaveLength(3);
    expect(planPartitions(10_000_000, 16)).toHaveLength(16);
  });

  it('refuses a run of no iterations', () => {
    expect(() => planPartitions(0, 4)).toThrow(RangeError);
    expect(() => planPartitions(1.5, 4)).toThrow(RangeError);
  });
});

describe('planChunks', () => {
  it('cuts a Monte Carlo partition into progress chunks that cover it exactly', () => {
    const chunks = planChunks({ first: 1_000, count: 3 * CHUNK_ITERATIONS + 5 }, 'mc');
    expect(chunks.map((c) => c.count)).toEqual([CHUNK_ITERATIONS, CHUNK_ITERATIONS, CHUNK_ITERATIONS, 5]);
    expect(chunks[0]!.first).toBe(1_000);
    expect(chunks[3]!.first).toBe(1_000 + 3 * CHUNK_ITERATIONS);
  });

  it('runs a Latin Hypercube partition in one chunk (each call redraws the whole-run permutations)', () => {
    expect(planChunks({ first: 7, count: 5 * CHUNK_ITERATIONS }, 'lhs')).toEqual([
      { first: 7, count: 5 * CHUNK_ITERATIONS },
    ]);
  });
});

describe('runPartition', () => {
  it.each(['mc', 'lhs'] as const)(
    'partitions run in chunks give exactly the single-threaded run, outputs and kept inputs (%s)',
    (sampling) => {
      const model = compiled();
      const iterations = 2 * CHUNK_ITERATIONS + 12_345;
      const keepInputs = CHUNK_ITERATIONS + 77; // ends inside the second partition's first chunk
      const single = simulateCpu(model, { iterations, seed: 99, sampling, keepInputs });
      const parts = planPartitions(iterations, 3);
      const progress: number[][] = [];
      const values = parts.map((part, w) => {
        progress[w] = [];
        return runPartition(model, { ...part, seed: 99, sampling, total: iterations, keepInputs }, (done) =>
          progress[w]!.push(done),
        );
      });
      for (const name of ['t', 'b']) {
        const joined = new Float64Array(iterations);
        values.forEach((v, w) => joined.set(v.outputs[name]!, parts[w]!.first));
        expect(joined).toEqual(single.outputs[name]);
      }
      for (const name of ['a', 'b', 'c']) {
        const kept = values.flatMap((v) => (v.inputs[name] ? [...v.inputs[name]] : []));
        expect(Float64Array.from(kept)).toEqual(single.inputs![name]);
      }
      // Progress after every chunk, ending at the partition's size.
      progress.forEach((steps, w) => {
        expect(steps.at(-1)).toBe(parts[w]!.count);
        expect(steps).toEqual([...steps].sort((x, y) => x - y));
        expect(steps).toHaveLength(planChunks(parts[w]!, sampling).length);
      });
    },
  );
});

describe('summarizePieces', () => {
  it('builds from partitions and their moments the summary summarizeSimulation gives for the whole run', () => {
    const model = compiled();
    const iterations = 150_001;
    const keepInputs = Math.min(iterations, SENSITIVITY_ITERATIONS);
    const single = simulateCpu(model, { iterations, seed: 5, keepInputs });
    const expected = summarizeSimulation({ outputs: single.outputs, inputs: single.inputs! });
    const parts = planPartitions(iterations, 4).map((part) =>
      runPartition(model, { ...part, seed: 5, sampling: 'mc', total: iterations, keepInputs }),
    );
    const byName = (pick: (p: (typeof parts)[number]) => Record<string, Float64Array>, names: string[]) =>
      Object.fromEntries(names.map((name) => [name, parts.flatMap((p) => (pick(p)[name] ? [pick(p)[name]!] : []))]));
    const summary = summarizePieces({
      outputs: byName((p) => p.outputs, model.outputs),
      moments: Object.fromEntries(model.outputs.map((name) => [name, parts.map((p) => momentsOf(p.outputs[name]!))])),
      inputs: byName((p) => p.inputs, ['a', 'b', 'c']),
    });
    for (const name of model.outputs) {
      const got = summary.outputs[name]!;
      const want = expected.outputs[name]!;
      // Percentiles, extremes, histogram and CDF come from the same values: identical.
      expect(got.percentiles).toEqual(want.percentiles);
      expect([got.min, got.max, got.count, got.nonFinite]).toEqual([want.min, want.max, want.count, want.nonFinite]);
      expect(got.histogram).toEqual(want.histogram);
      expect(got.cdf).toEqual(want.cdf);
      // Moments combine per partition: equal to rounding.
      for (const key of ['mean', 'sd', 'skewness', 'kurtosis'] as const) expect(got[key]).toBeCloseTo(want[key], 12);
      expect(summary.sensitivity[name]).toEqual(expected.sensitivity[name]);
    }
  });

  it('takes statistics the GPU computed as they are, and sensitivity from the kept iterations alone', () => {
    const model = compiled();
    const iterations = 60_000;
    const keepInputs = 5_000;
    const run = simulateCpu(model, { iterations, seed: 9, keepInputs });
    const whole = summarizeSimulation({ outputs: run.outputs, inputs: run.inputs! });
    const kept = Object.fromEntries(model.outputs.map((name) => [name, [run.outputs[name]!.subarray(0, keepInputs)]]));
    const summary = summarizePieces({
      outputs: kept,
      inputs: Object.fromEntries(Object.entries(run.inputs!).map(([name, values]) => [name, [values]])),
      statistics: whole.outputs,
    });
    const fromKept = summarizeSimulation({
      outputs: Object.fromEntries(model.outputs.map((name) => [name, run.outputs[name]!.subarray(0, keepInputs)])),
      inputs: run.inputs!,
    });
    for (const name of model.outputs) {
      expect(summary.outputs[name]).toBe(whole.outputs[name]);
      expect(summary.outputs[name]!.count).toBe(iterations);
      expect(summary.sensitivity[name]).toEqual(fromKept.sensitivity[name]);
    }
  });

  it('refuses moments that do not add up to the run', () => {
    expect(() =>
      summarizePieces({
        outputs: { x: [new Float64Array(3)] },
        moments: { x: [momentsOf(new Float64Array(2))] },
        inputs: {},
      }),
    ).toThrow(/moments count 2 values, the run 3/);
  });
});
