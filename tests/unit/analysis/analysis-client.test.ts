import { fileURLToPath } from 'node:url';
import { Worker as ThreadWorker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AnalysisClient,
  AnalysisSlot,
  AnalysisSupersededError,
  columnsOf,
  COPY_SLICE,
  sampleOf,
  type AnalysisWorkerPort,
  type PageAnalysisCall,
} from '../../../common/engine/analysis/analysis-client-core';
import type { AnalysisReply, AnalysisRequest } from '../../../common/engine/analysis/analysis-messages';
import { convergence } from '../../../common/engine/analysis/convergence';
import type { RunSamples } from '../../../common/engine/analysis/run-samples';
import { tornado } from '../../../common/engine/analysis/tornado';
import { bundleRendererWorker } from '../engine/web-worker-in-node';
import { samples } from './references';

// The client over the app's engine worker (renderer/engine/cpu/worker.ts, bundled as the app
// bundles it) in a worker thread: what it sends, and what comes back, as the page would see them.
const root = fileURLToPath(new URL('../../..', import.meta.url));
let bundle: Awaited<ReturnType<typeof bundleRendererWorker>>;

beforeAll(async () => {
  bundle = await bundleRendererWorker(root);
});
afterAll(() => bundle?.remove());

/** A client over a fresh worker thread, with every message it sent (and what it transferred) recorded. */
function started() {
  // Transferred buffers are detached once sent: their sizes are recorded as they go.
  const sent: { request: AnalysisRequest; transferred: number[] }[] = [];
  const threads: ThreadWorker[] = [];
  const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
  const client = new AnalysisClient((): AnalysisWorkerPort => {
    const thread = new ThreadWorker(bundle.path);
    threads.push(thread);
    return {
      postMessage(request, transfer) {
        sent.push({ request, transferred: transfer.map((b) => b.byteLength) });
        thread.postMessage(request, transfer);
      },
      listen(onReply, onError) {
        thread.on('message', (reply: AnalysisReply) => onReply(reply));
        thread.on('error', (error: Error) => onError(error.message));
      },
      terminate: () => void thread.terminate(),
    };
  }, pause);
  const kinds = (kind: AnalysisRequest['kind']) => sent.filter((s) => s.request.kind === kind);
  return { client, sent, kinds, threads, end: () => client.stop() };
}

const run: RunSamples = { iterations: samples.y.length, inputs: samples.inputs, outputs: { y: samples.y } };

describe('the analysis client over the engine worker', () => {
  it('gives the numbers of the direct call, the run sent once for every request', async () => {
    const w = started();
    try {
      const bars = await w.client.run({
        analysis: 'tornado',
        args: [columnsOf(run, 'inputs'), sampleOf(run, 'outputs', 'y'), 'rank-correlation'],
      });
      expect(bars).toEqual(tornado(samples.inputs, samples.y, 'rank-correlation'));
      const curve = await w.client.run({ analysis: 'convergence', args: [sampleOf(run, 'outputs', 'y'), [50], 12] });
      expect(curve).toEqual(convergence(samples.y, [50], 12));
      expect(w.kinds('analysis.hold')).toHaveLength(1);
      // Each distinct column once (none of these is both an input and an output).
      expect(w.kinds('analysis.column')).toHaveLength(5);
      expect(w.threads).toHaveLength(1);
    } finally {
      w.end();
    }
  });

  it('sends a subarray view as a compact copy, in slices, and the page keeps its own arrays', async () => {
    const w = started();
    try {
      // Two runs' worth in one buffer: the second run is views onto its back half (more than one slice of it).
      const n = 2 * COPY_SLICE + 5;
      const big = new Float64Array(2 * n).map((_, i) => i);
      const back = big.subarray(n);
      const viewRun: RunSamples = { iterations: n, inputs: { x: back }, outputs: { x: back } };
      const result = await w.client.run({
        analysis: 'convergence',
        args: [sampleOf(viewRun, 'outputs', 'x'), [50], 5],
      });
      expect(result).toEqual(convergence(big.subarray(n), [50], 5));
      expect(w.kinds('analysis.hold').map((s) => s.request)).toEqual([
        { kind: 'analysis.hold', run: 'run-1', iterations: n },
      ]);
      // One buffer (the input that is also the output is copied once), of the view's n values, not the 2n behind it.
      const columns = w.kinds('analysis.column');
      expect(columns.map((s) => s.transferred)).toEqual([[n * 8]]);
      expect(columns[0]!.request).toMatchObject({
        places: [
          { side: 'inputs', name: 'x' },
          { side: 'outputs', name: 'x' },
        ],
      });
      expect(big.length).toBe(2 * n);
      expect(big[2 * n - 1]).toBe(2 * n - 1);
    } finally {
      w.end();
    }
  });

  it('drops a run from the worker when no view keeps it, and sends it again if asked for after', async () => {
    const w = started();
    try {
      const release = w.client.keep([run]);
      const call: PageAnalysisCall<'convergence'> = {
        analysis: 'convergence',
        args: [sampleOf(run, 'outputs', 'y'), [50], 5],
      };
      await w.client.run(call);
      expect(w.client.heldRuns).toBe(1);
      release();
      // Kept again in the same turn (a re-render): nothing is dropped.
      const again = w.client.keep([run]);
      await Promise.resolve();
      expect(w.kinds('analysis.drop')).toHaveLength(0);
      again();
      await Promise.resolve();
      expect(w.kinds('analysis.drop').map((s) => s.request)).toEqual([{ kind: 'analysis.drop', run: 'run-1' }]);
      expect(w.client.heldRuns).toBe(0);
      await w.client.run({ ...call, args: [sampleOf(run, 'outputs', 'y'), [50], 6] });
      expect(w.kinds('analysis.hold')).toHaveLength(2);
    } finally {
      w.end();
    }
  });

  it('in one view, a newer request supersedes one still waiting; the same request asked twice is sent once', async () => {
    const w = started();
    try {
      const slot = new AnalysisSlot();
      const ask = (p: number) =>
        w.client.run({ analysis: 'convergence', args: [sampleOf(run, 'outputs', 'y'), [p], 20] }, slot);
      const first = ask(10);
      const firstAgain = ask(10);
      const waiting = ask(20);
      const latest = ask(30);
      await expect(waiting).rejects.toBeInstanceOf(AnalysisSupersededError);
      expect(await latest).toEqual(convergence(samples.y, [30], 20));
      expect(await first).toEqual(convergence(samples.y, [10], 20));
      expect(await firstAgain).toEqual(await first);
      expect(w.kinds('analysis.run').map((s) => JSON.stringify(s.request))).toHaveLength(2);
    } finally {
      w.end();
    }
  });

  it('passes the worker’s refusal on as the error, and a stop fails what was waiting', async () => {
    const w = started();
    const bad = w.client.run({
      analysis: 'tailDrivers',
      args: [columnsOf(run, 'inputs'), sampleOf(run, 'outputs', 'y'), { percentile: 0, tail: 'upper' }],
    });
    await expect(bad).rejects.toThrow('the tail boundary must be a percentile between 0 and 100');
    const waiting = w.client.run({ analysis: 'convergence', args: [sampleOf(run, 'outputs', 'y')] });
    w.client.stop();
    await expect(waiting).rejects.toThrow('The analyses were stopped.');
    expect(w.client.heldRuns).toBe(0);
  });
});
