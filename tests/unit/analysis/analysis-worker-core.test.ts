import { describe, expect, it } from 'vitest';
import type { AnalysisCall, AnalysisReply, AnalysisRequest } from '../../../common/engine/analysis/analysis-messages';
import { AnalysisWorkerCore } from '../../../common/engine/analysis/analysis-worker-core';
import { compareSeries } from '../../../common/engine/analysis/comparison';
import { convergence } from '../../../common/engine/analysis/convergence';
import type { RunSamples } from '../../../common/engine/analysis/run-samples';
import { scatter } from '../../../common/engine/analysis/scatter';
import { tailDrivers } from '../../../common/engine/analysis/tail-drivers';
import { binnedStatistics, tornado } from '../../../common/engine/analysis/tornado';
import { samples } from './references';

// The analysis worker's core, fed as the worker is: every message a structured clone of what the
// page sends (so nothing is shared with the page's arrays).
const run: RunSamples = {
  iterations: samples.y.length,
  inputs: samples.inputs,
  outputs: { y: samples.y, y2: samples.y2 },
};
const inputs = { ref: 'columns', run: 'r1', side: 'inputs' } as const;
const y = { ref: 'sample', run: 'r1', side: 'outputs', name: 'y' } as const;

function worker(): { send(request: AnalysisRequest): AnalysisReply | null; core: AnalysisWorkerCore } {
  const core = new AnalysisWorkerCore();
  return { core, send: (request) => core.answer(structuredClone(request)) };
}

/** Holds `run` as the client sends it: the run, then each column. */
function holding(): ReturnType<typeof worker> {
  const w = worker();
  w.send({ kind: 'analysis.hold', run: 'r1', iterations: run.iterations });
  for (const side of ['inputs', 'outputs'] as const)
    for (const [name, values] of Object.entries(run[side]))
      w.send({ kind: 'analysis.column', run: 'r1', places: [{ side, name }], values });
  return w;
}

function result(reply: AnalysisReply | null): unknown {
  if (reply?.kind !== 'analysis.done') throw new Error(`no result: ${JSON.stringify(reply)}`);
  return reply.result;
}

/** What a request gives, through a structured clone as postMessage would give it back. */
const computed = (w: ReturnType<typeof worker>, call: AnalysisCall) =>
  structuredClone(result(w.send({ kind: 'analysis.run', id: 7, call })));

describe('the analysis worker core', () => {
  it('gives, for every analysis, exactly what the direct call gives on the same samples', () => {
    const w = holding();
    expect(computed(w, { analysis: 'tornado', args: [inputs, y, 'regression'] })).toEqual(
      tornado(samples.inputs, samples.y, 'regression'),
    );
    expect(computed(w, { analysis: 'binnedStatistics', args: [inputs, y, { kind: 'percentile', p: 90 }, 5] })).toEqual(
      binnedStatistics(samples.inputs, samples.y, { kind: 'percentile', p: 90 }, 5),
    );
    expect(computed(w, { analysis: 'tailDrivers', args: [inputs, y, { percentile: 80, tail: 'lower' }] })).toEqual(
      tailDrivers(samples.inputs, samples.y, { percentile: 80, tail: 'lower' }),
    );
    expect(
      computed(w, { analysis: 'scatter', args: [{ ref: 'sample', run: 'r1', side: 'inputs', name: 'b' }, y, 50] }),
    ).toEqual(scatter(samples.inputs.b, samples.y, 50));
    expect(computed(w, { analysis: 'convergence', args: [y, [10, 90], 20] })).toEqual(
      convergence(samples.y, [10, 90], 20),
    );
    const y2 = { ref: 'sample', run: 'r1', side: 'outputs', name: 'y2' } as const;
    expect(
      computed(w, {
        analysis: 'compareSeries',
        args: [
          [
            { label: 'y', values: y },
            { label: 'y2', values: y2 },
          ],
          { thresholds: [1] },
        ],
      }),
    ).toEqual(
      compareSeries(
        [
          { label: 'y', values: samples.y },
          { label: 'y2', values: samples.y2 },
        ],
        { thresholds: [1] },
      ),
    );
  });

  it('resolves a limit to the first iterations of every column, as the panel’s driver cap reads them', () => {
    const w = holding();
    const first = (values: Float64Array) => values.subarray(0, 60);
    const leading = Object.fromEntries(Object.entries(samples.inputs).map(([k, v]) => [k, first(v)]));
    expect(
      computed(w, { analysis: 'tornado', args: [{ ...inputs, limit: 60 }, { ...y, limit: 60 }, 'rank-correlation'] }),
    ).toEqual(tornado(leading, first(samples.y), 'rank-correlation'));
    expect(
      result(w.send({ kind: 'analysis.run', id: 1, call: { analysis: 'convergence', args: [{ ...y, limit: 60 }] } })),
    ).toMatchObject({ checkpoints: expect.arrayContaining([60]) });
  });

  it('refuses an analysis it does not have, by name, and computes nothing', () => {
    const w = holding();
    for (const name of ['eval', 'constructor', '__proto__', 'toString'])
      expect(
        w.send({ kind: 'analysis.run', id: 3, call: { analysis: name, args: [] } as unknown as AnalysisCall }),
      ).toEqual({
        kind: 'analysis.failed',
        id: 3,
        message: `There is no analysis named "${name}".`,
      });
  });

  it('answers a reference to a run it does not hold, or a column the run lacks, with a plain message', () => {
    const w = holding();
    const call: AnalysisCall = { analysis: 'convergence', args: [{ ...y, run: 'r2' }] };
    expect(w.send({ kind: 'analysis.run', id: 4, call })).toEqual({
      kind: 'analysis.failed',
      id: 4,
      message: 'The samples of run r2 are no longer held by the analysis worker.',
    });
    expect(
      w.send({ kind: 'analysis.run', id: 5, call: { analysis: 'convergence', args: [{ ...y, name: 'cost' }] } }),
    ).toEqual({ kind: 'analysis.failed', id: 5, message: 'The run has no output named "cost".' });
  });

  it('passes an analysis’s own refusal on as its message', () => {
    const w = holding();
    const reply = w.send({
      kind: 'analysis.run',
      id: 6,
      call: { analysis: 'tailDrivers', args: [inputs, y, { percentile: 100, tail: 'upper' }] },
    });
    expect(reply).toEqual({
      kind: 'analysis.failed',
      id: 6,
      message: 'the tail boundary must be a percentile between 0 and 100',
    });
  });

  it('lets a column named like a prototype member be a column, and nothing more', () => {
    const w = worker();
    w.send({ kind: 'analysis.hold', run: 'r1', iterations: 3 });
    const values = Float64Array.of(1, 2, 3);
    w.send({ kind: 'analysis.column', run: 'r1', places: [{ side: 'outputs', name: '__proto__' }], values });
    expect(
      computed(w, {
        analysis: 'convergence',
        args: [{ ref: 'sample', run: 'r1', side: 'outputs', name: '__proto__' }],
      }),
    ).toEqual(convergence(values));
    expect(
      w.send({ kind: 'analysis.run', id: 9, call: { analysis: 'convergence', args: [{ ...y, name: 'toString' }] } }),
    ).toMatchObject({ kind: 'analysis.failed', message: 'The run has no output named "toString".' });
  });

  it('lets a run go when it is dropped: later references to it fail', () => {
    const w = holding();
    expect(w.core.heldRuns).toBe(1);
    expect(w.send({ kind: 'analysis.drop', run: 'r1' })).toBeNull();
    expect(w.core.heldRuns).toBe(0);
    expect(w.send({ kind: 'analysis.run', id: 8, call: { analysis: 'convergence', args: [y] } })).toMatchObject({
      kind: 'analysis.failed',
      message: 'The samples of run r1 are no longer held by the analysis worker.',
    });
  });
});
