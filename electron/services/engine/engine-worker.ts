import { parentPort } from 'node:worker_threads';
import { buildModel } from '../../../common/engine/build-model';
import { useQuantileTables } from '../../../common/engine/distributions/tabulate';
import type { Model } from '../../../common/model/model';
import type { Moments } from '../../../common/engine/moments';
import { binValueRanges, collectWanted, countBins } from '../../../common/engine/order-statistics';
import { simulateCpu } from '../../../common/engine/simulate-cpu';
import type { PartitionJob, StatisticsRequest, WorkerReply } from './cpu-pool';

// One CPU engine worker: compiles the model, fills its partition of the shared result arrays and
// reports its moments; then counts, bounds and collects its partition for the pool's exact percentiles.
const port = parentPort;
if (!port) throw new Error('engine-worker must run in a worker thread');

let partition: Record<string, Float64Array> = {};

function simulate(job: PartitionJob): WorkerReply {
  // The pool's caller compiled (and so validated) this model and built its tables; the worker only builds it.
  useQuantileTables(job.tables);
  const result = buildModel(job.model as Model, 8192);
  if (!result.ok) throw new Error(result.errors.join('; '));
  const values = simulateCpu(result.compiled, {
    iterations: job.count,
    seed: job.seed,
    sampling: job.sampling,
    firstIteration: job.offset + job.first,
    totalIterations: job.total,
    keepInputs: Math.max(0, Math.min(job.count, job.keepInputs - job.first)),
    moments: true,
    // Straight into this partition of the shared result arrays: no copy, no second 8 bytes per value.
    into: Object.fromEntries(
      Object.entries(job.outputs).map(([name, buffer]) => [name, new Float64Array(buffer, job.first * 8, job.count)]),
    ),
  });
  const moments: Record<string, Moments> = {};
  partition = values.outputs;
  for (const name of Object.keys(job.outputs)) moments[name] = values.moments![name]!;
  for (const [name, buffer] of Object.entries(job.inputs))
    if (values.inputs?.[name]) new Float64Array(buffer).set(values.inputs[name]!, job.first);
  return { ok: true, moments };
}

function statistics(request: StatisticsRequest): WorkerReply {
  const names = Object.keys(request.plans);
  if (request.kind === 'count')
    return {
      ok: true,
      counts: Object.fromEntries(names.map((name) => [name, countBins(partition[name]!, request.plans[name]!)])),
    };
  if (request.kind === 'range')
    return {
      ok: true,
      ranges: Object.fromEntries(names.map((name) => [name, binValueRanges(partition[name]!, request.plans[name]!)])),
    };
  return {
    ok: true,
    collected: Object.fromEntries(
      names.map((name) => [name, collectWanted(partition[name]!, request.plans[name]!, request.wanted[name]!)]),
    ),
  };
}

port.on('message', (message: PartitionJob | StatisticsRequest) => {
  try {
    const reply = message.kind === 'simulate' ? simulate(message) : statistics(message);
    const transfer =
      'counts' in reply
        ? Object.values(reply.counts).map((c) => c.buffer as ArrayBuffer)
        : 'collected' in reply
          ? Object.values(reply.collected).map((c) => c.buffer as ArrayBuffer)
          : 'ranges' in reply
            ? Object.values(reply.ranges).flatMap((r) => [r.low.buffer, r.high.buffer, r.zeros.buffer] as ArrayBuffer[])
            : [];
    port.postMessage(reply, transfer);
  } catch (error) {
    port.postMessage({ ok: false, message: (error as Error).message } satisfies WorkerReply);
  }
});
