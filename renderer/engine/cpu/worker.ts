import { buildModel, type CompiledModel } from '../../../common/engine/build-model';
import type { Model } from '../../../common/model/model';
import { momentsOf } from '../../../common/engine/moments';
import { philoxImplementation } from '../../../common/engine/rng';
import { assembleReport } from './assemble-report';
import { buffersOf, type WorkerReply, type WorkerRequest } from './messages';
import { runPartition } from './run-partition';

/**
 * One CPU engine worker (a module Web Worker). It runs a partition of a simulation (with its
 * outputs' moments, so they are computed on every core) or builds the report, so none of that
 * work blocks the page.
 */
// The DOM lib has no worker-scope type; these two members are all this file uses.
const scope = self as unknown as {
  postMessage(message: WorkerReply, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
};
const reply = (message: WorkerReply, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

// The same model comes back for the calibration and the run: compile it once.
let cached: { key: string; compiled: CompiledModel } | null = null;

function compiledFor(model: unknown): CompiledModel {
  const key = JSON.stringify(model);
  if (cached?.key === key) return cached.compiled;
  // The page compiled (and so validated) this model; the worker only builds it, without zod.
  const result = buildModel(model as Model, 8192);
  if (!result.ok) throw new Error(`The model does not compile: ${result.errors.join('; ')}`);
  cached = { key, compiled: result.compiled };
  return result.compiled;
}

function handle(request: WorkerRequest): void {
  const { id } = request;
  switch (request.type) {
    case 'simulate': {
      const values = runPartition(compiledFor(request.model), request.job, (done) =>
        reply({ id, type: 'progress', done }),
      );
      const moments = Object.fromEntries(Object.entries(values.outputs).map(([name, v]) => [name, momentsOf(v)]));
      reply(
        {
          id,
          type: 'simulated',
          outputs: values.outputs,
          moments,
          inputs: values.inputs,
          philox: philoxImplementation(),
        },
        buffersOf(values.outputs, values.inputs),
      );
      return;
    }
    case 'report':
      reply({ id, type: 'report', report: assembleReport(request.pieces) });
      return;
  }
}

scope.onmessage = (event: MessageEvent<WorkerRequest>) => {
  try {
    handle(event.data);
  } catch (error) {
    reply({ id: event.data.id, type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
};
