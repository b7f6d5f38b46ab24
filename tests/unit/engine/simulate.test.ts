import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileModel, type CompiledModel } from '../../../common/engine/compile-model';
import { simulateCpu } from '../../../common/engine/simulate-cpu';
import { summarize } from '../../../common/engine/statistics';
import { repoRoot } from '../../support/services';

const model = (parts: object) => ({ format: 'enclave-model/1', name: 'test', marking: 'UNCLASSIFIED', ...parts });

function compiled(raw: object): CompiledModel {
  const result = compileModel(raw, 1000);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.compiled;
}

describe('model validation', () => {
  it.each([
    [
      { inputs: [{ name: 'cost', dist: { type: 'normal', mean: 1, sd: -2 } }], outputs: ['cost'] },
      'inputs.cost.dist.sd: must be greater than 0',
    ],
    [
      { inputs: [{ name: 'cost', dist: { type: 'triangular', min: 5, mode: 1, max: 9 } }], outputs: ['cost'] },
      'inputs.cost.dist: needs min ≤ mode ≤ max and min < max',
    ],
    [
      { inputs: [{ name: 'cost', dist: { type: 'uniform', min: 5, max: 5 } }], outputs: ['cost'] },
      'inputs.cost.dist: min must be less than max',
    ],
    [
      { inputs: [{ name: 'p', dist: { type: 'bernoulli', p: 1.5 } }], outputs: ['p'] },
      'inputs.p.dist.p: p must be between 0 and 1',
    ],
    [
      { inputs: [{ name: 'duration', dist: { type: 'pert', min: 9, mode: 5, max: 20 } }], outputs: ['duration'] },
      'inputs.duration.dist: needs min ≤ mode ≤ max and min < max',
    ],
    [
      { inputs: [{ name: 'k', dist: { type: 'binomial', n: 2.5, p: 0.1 } }], outputs: ['k'] },
      'inputs.k.dist.n: n must be a whole number',
    ],
    [
      { inputs: [{ name: 'g', dist: { type: 'gamma', shape: 0, scale: 1 } }], outputs: ['g'] },
      'inputs.g.dist.shape: must be greater than 0',
    ],
    [{ inputs: [{ name: 'x', dist: { type: 'gumbel' } }], outputs: ['x'] }, 'inputs.x.dist.type'],
    [
      {
        inputs: [{ name: 'x', dist: { type: 'normal', mean: 0, sd: 1 } }],
        formulas: [{ name: 't', expr: 'x + shipping' }],
        outputs: ['t'],
      },
      'formulas.t: "shipping" is not an input or a formula (at character 4)',
    ],
    [
      {
        inputs: [{ name: 'x', dist: { type: 'normal', mean: 0, sd: 1 } }],
        formulas: [
          { name: 'a', expr: 'b + x' },
          { name: 'b', expr: 'a * 2' },
        ],
        outputs: ['a'],
      },
      'formulas.formulas depend on each other in a cycle: a → b → a',
    ],
    [
      {
        inputs: [{ name: 'x', dist: { type: 'normal', mean: 0, sd: 1 } }],
        formulas: [{ name: 't', expr: 'x +' }],
        outputs: ['t'],
      },
      'formulas.t: expected a number, a name or "(" but found the end of the expression (at character 3)',
    ],
    [
      { inputs: [{ name: 'x', dist: { type: 'normal', mean: 0, sd: 1 } }], outputs: ['y'] },
      'outputs: "y" is not an input or a formula',
    ],
    [
      {
        inputs: [
          { name: 'x', dist: { type: 'normal', mean: 0, sd: 1 } },
          { name: 'x', dist: { type: 'normal', mean: 0, sd: 1 } },
        ],
        outputs: ['x'],
      },
      'inputs.x: defined more than once',
    ],
  ])('reports %j as "%s"', (parts, message) => {
    const result = compileModel(model(parts));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join('\n')).toContain(message);
  });
});

describe('CPU simulation', () => {
  const raw = model({
    inputs: [
      { name: 'x', dist: { type: 'normal', mean: 10, sd: 2 } },
      { name: 'y', dist: { type: 'uniform', min: 0, max: 1 } },
    ],
    formulas: [{ name: 't', expr: 'x + y' }],
    outputs: ['t', 'x'],
  });

  it('gives the same values for the same seed, and different ones for another', () => {
    const a = simulateCpu(compiled(raw), { iterations: 5000, seed: 42 }).outputs;
    const b = simulateCpu(compiled(raw), { iterations: 5000, seed: 42 }).outputs;
    const c = simulateCpu(compiled(raw), { iterations: 5000, seed: 43 }).outputs;
    expect(a.t).toEqual(b.t);
    expect(a.t).not.toEqual(c.t);
  });

  it('splits a run into partitions that reproduce the whole run exactly', () => {
    const whole = simulateCpu(compiled(raw), { iterations: 10_000, seed: 9 }).outputs;
    const first = simulateCpu(compiled(raw), { iterations: 3_333, seed: 9 }).outputs;
    const second = simulateCpu(compiled(raw), { iterations: 6_667, seed: 9, firstIteration: 3_333 }).outputs;
    expect(Float64Array.from([...first.t!, ...second.t!])).toEqual(whole.t);
  });

  it('writes the outputs into arrays it is given, as it would into its own', () => {
    const own = simulateCpu(compiled(raw), { iterations: 10_000, seed: 9 }).outputs.t!;
    const target = new Float64Array(12_000).fill(-1);
    const got = simulateCpu(compiled(raw), { iterations: 10_000, seed: 9, into: { t: target.subarray(1_000) } }).outputs
      .t!;
    expect(got.buffer).toBe(target.buffer);
    expect(target.subarray(1_000, 11_000)).toEqual(own);
    expect(target[999]).toBe(-1);
    expect(target[11_000]).toBe(-1);
  });

  it('stores every zero of an output as +0, whatever arithmetic made it', () => {
    const signed = model({
      inputs: [{ name: 'y', dist: { type: 'uniform', min: 0, max: 1 } }],
      formulas: [{ name: 'z', expr: 'if(y < 0.5, y * 0 * -1, y)' }],
      outputs: ['z'],
    });
    const { outputs, moments } = simulateCpu(compiled(signed), { iterations: 10_000, seed: 4, moments: true });
    const zeros = outputs.z!.filter((v) => v === 0);
    expect(zeros.length).toBeGreaterThan(4_000);
    expect(zeros.some((v) => Object.is(v, -0))).toBe(false);
    expect(Object.is(moments!.z!.min, 0)).toBe(true);
    expect(Object.is(summarize(outputs.z!).percentiles.p1, 0)).toBe(true);
  });

  it('matches the analytic mean and sd of x + y', () => {
    const s = summarize(simulateCpu(compiled(raw), { iterations: 200_000, seed: 1 }).outputs.t!);
    const sd = Math.sqrt(4 + 1 / 12);
    expect(Math.abs(s.mean - 10.5)).toBeLessThan((5 * sd) / Math.sqrt(200_000));
    expect(s.ci95[0]).toBeLessThan(s.mean);
    expect(Math.abs(s.sd - sd)).toBeLessThan(0.02);
  });
});

describe('statistics', () => {
  it('match numpy and scipy on the same values', () => {
    const values = simulateCpu(
      compiled(model({ inputs: [{ name: 'w', dist: { type: 'weibull', shape: 1.3, scale: 4 } }], outputs: ['w'] })),
      { iterations: 20_000, seed: 5 },
    ).outputs.w!;
    const ours = summarize(values);
    const ref = JSON.parse(
      execFileSync(
        'python3',
        [
          '-c',
          'import sys, json, numpy as np, scipy.stats as st; v = np.array(json.load(sys.stdin)); print(json.dumps(dict(mean=v.mean(), sd=v.std(ddof=1), skew=st.skew(v), kurt=st.kurtosis(v), pct=[float(np.percentile(v, p)) for p in [1,5,10,25,50,75,90,95,99]])))',
        ],
        {
          input: JSON.stringify([...values]),
          encoding: 'utf8',
        },
      ),
    ) as { mean: number; sd: number; skew: number; kurt: number; pct: number[] };
    expect(ours.mean).toBeCloseTo(ref.mean, 10);
    expect(ours.sd).toBeCloseTo(ref.sd, 10);
    expect(ours.skewness).toBeCloseTo(ref.skew, 10);
    expect(ours.kurtosis).toBeCloseTo(ref.kurt, 10);
    expect(Object.values(ours.percentiles).map((p) => Number(p.toFixed(9)))).toEqual(
      ref.pct.map((p) => Number(p.toFixed(9))),
    );
  });

  it('leaves out and counts values that are not finite', () => {
    const s = summarize(Float64Array.from([1, 2, Number.POSITIVE_INFINITY, Number.NaN, 3]));
    expect(s).toMatchObject({ count: 3, nonFinite: 2, mean: 2, min: 1, max: 3 });
  });
});

describe('enclave simulate (CLI)', () => {
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [join(repoRoot, 'dist', 'node', 'cli.cjs'), ...args], {
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('prints one JSON object with each output’s statistics', () => {
    const result = cli([
      'simulate',
      join(repoRoot, 'resources', 'models', 'project-cost-schedule.json'),
      '--iterations',
      '20000',
      '--seed',
      '3',
      '--json',
    ]);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as {
      outputs: Record<string, { mean: number; percentiles: Record<string, number>; ci95: number[] }>;
      sensitivity: Record<
        string,
        {
          inputs: { input: string; src: number; rankCorrelation: number; contributionToVariance: number }[];
          rSquared: number;
        }
      >;
      iterations: number;
      seed: number;
      engine: string;
      seconds: number;
    };
    expect(report).toMatchObject({ iterations: 20000, seed: 3, engine: 'cpu' });
    expect(Object.keys(report.outputs)).toEqual(['total_cost', 'delay_weeks']);
    expect(Object.keys(report.outputs.total_cost!.percentiles)).toEqual([
      'p1',
      'p5',
      'p10',
      'p25',
      'p50',
      'p75',
      'p90',
      'p95',
      'p99',
    ]);
    expect(report.outputs.total_cost!.mean).toBeGreaterThan(4000);
    // The structure tab: every input ranked for every output; delay_weeks explains itself entirely.
    expect(report.sensitivity.total_cost!.inputs.map((i) => i.input)).toEqual([
      'sitework',
      'structure',
      'systems',
      'delay_weeks',
      'design_change',
    ]);
    const delay = report.sensitivity.delay_weeks!.inputs.find((i) => i.input === 'delay_weeks')!;
    expect(delay).toMatchObject({
      src: expect.closeTo(1, 6),
      rankCorrelation: expect.closeTo(1, 6),
      contributionToVariance: expect.closeTo(1, 6),
    });
    const total = report.sensitivity.total_cost!.inputs.reduce((s, i) => s + i.contributionToVariance, 0);
    expect(total).toBeCloseTo(1, 10);
    const again = JSON.parse(
      cli([
        'simulate',
        join(repoRoot, 'resources', 'models', 'project-cost-schedule.json'),
        '--iterations',
        '20000',
        '--seed',
        '3',
        '--json',
      ]).stdout,
    ) as typeof report;
    expect(again.outputs).toEqual(report.outputs);
  });

  it('exits 1 with the errors on stderr for an invalid model', () => {
    const bad = JSON.parse(
      readFileSync(join(repoRoot, 'resources', 'models', 'project-cost-schedule.json'), 'utf8'),
    ) as { inputs: { dist: Record<string, unknown> }[] };
    bad.inputs[0]!.dist.mode = 5000;
    const path = join(mkdtempSync(join(tmpdir(), 'enclave-model-')), 'bad-model.json');
    writeFileSync(path, JSON.stringify(bad));
    const result = cli(['simulate', path]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('inputs.sitework.dist: needs min ≤ mode ≤ max and min < max');
    expect(result.stdout).toBe('');
  });
});

describe('histogram and CDF points', () => {
  it('bins every value between min and max and gives the CDF at whole percentiles', () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => i);
    const s = summarize(values);
    expect(s.histogram.edges).toHaveLength(51);
    expect(s.histogram.edges[0]).toBe(0);
    expect(s.histogram.edges[50]).toBe(999);
    expect(s.histogram.counts.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(s.histogram.counts[0]).toBe(20);
    expect(s.cdf).toHaveLength(101);
    expect(s.cdf[0]).toEqual({ p: 0, x: 0 });
    expect(s.cdf[50]).toEqual({ p: 0.5, x: 499.5 });
    expect(s.cdf[100]).toEqual({ p: 1, x: 999 });
    expect(summarize(Float64Array.from([7, 7, 7])).histogram).toEqual({ edges: [7, 7], counts: [3] });
  });
});

describe('auto-stop', () => {
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [join(repoRoot, 'dist', 'node', 'cli.cjs'), ...args], {
      encoding: 'utf8',
      timeout: 120_000,
    });
  const model = join(repoRoot, 'resources', 'models', 'project-cost-schedule.json');

  it('stops once every output converged, with the same values as a run of that length', () => {
    const auto = JSON.parse(
      cli(['simulate', model, '--iterations', '5000000', '--auto-stop', '0.01', '--seed', '4', '--json']).stdout,
    ) as {
      iterations: number;
      autoStop: { converged: boolean };
      outputs: Record<string, { mean: number; percentiles: Record<string, number> }>;
    };
    expect(auto.autoStop.converged).toBe(true);
    expect(auto.iterations).toBeLessThan(5_000_000);
    const plain = JSON.parse(
      cli(['simulate', model, '--iterations', String(auto.iterations), '--seed', '4', '--json']).stdout,
    ) as typeof auto;
    // The same values: exact percentiles agree to the bit; the mean is combined from different
    // partitions (one per worker per round), so it agrees to rounding.
    expect(auto.outputs.total_cost!.mean).toBeCloseTo(plain.outputs.total_cost!.mean, 9);
    expect(auto.outputs.total_cost!.percentiles).toEqual(plain.outputs.total_cost!.percentiles);
  });

  it('says so when it did not converge within the maximum', () => {
    const result = cli(['simulate', model, '--iterations', '40000', '--auto-stop', '0.0001']);
    expect(result.stdout).toMatch(/40000 iterations \(mc, NOT converged to 0\.0001 within 40000\)/);
    expect(cli(['simulate', model, '--auto-stop', '2']).status).toBe(2);
    expect(cli(['simulate', model, '--auto-stop', '0.01', '--sampling', 'lhs']).status).toBe(2);
  });

  it('judges convergence by the confidence intervals of the mean and the percentiles', async () => {
    const { convergence } = await import('../../../common/engine/auto-stop');
    const sorted = (n: number) => Float64Array.from({ length: n }, (_, i) => 100 + (i / n) * 10);
    expect(convergence(sorted(500), 0.5).converged).toBe(false); // too few iterations to judge
    expect(convergence(sorted(100_000), 0.01)).toMatchObject({ converged: true });
    expect(convergence(sorted(100_000), 1e-6)).toMatchObject({ converged: false });
  });
});
