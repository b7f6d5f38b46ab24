import { buildModel, type CompiledModel } from '../build-model';
import { useQuantileTables } from '../distributions/tabulate';
import type { Model } from '../../model/model';
import { binValueRanges, collectWanted, countBins } from '../order-statistics';
import { philoxImplementation } from '../rng';
import { blockMomentPieces } from './block-moments';
import { convergenceTraces } from './convergence-trace';
import { buffersOf, type EngineReply, type EngineRequest } from './messages';
import { BLOCK_ITERATIONS } from './partition';
import { runPartition } from './run-partition';
import { summarizePieces } from './summarize-pieces';

/** A reply and the buffers to transfer with it. */
export interface Outgoing {
  reply: EngineReply;
  transfer: ArrayBuffer[];
}

/**
 * What every CPU engine worker does, whatever carries its messages (a Web Worker in the app, a
 * worker thread in the CLI): it runs a partition of a run (with its outputs' block moments, so
 * they are computed on every core), keeps the partition's values when asked, counts them into
 * bins, gives each bin's value range and hands back the values of the wanted bins for the pool's
 * exact percentiles (statistics-on-workers.ts); or it builds a run's summary from its pieces.
 */
export class EngineWorkerCore {
  // The same model comes back for the calibration and the run: compile it once.
  #cached: { key: string; compiled: CompiledModel } | null = null;
  /** The partition held for the statistics passes. */
  #partition: Record<string, Float64Array> = {};

  #compiled(model: unknown): CompiledModel {
    const key = JSON.stringify(model);
    if (this.#cached?.key === key) return this.#cached.compiled;
    // The pool compiled (and so validated) this model; the worker only builds it, without zod.
    const result = buildModel(model as Model, BLOCK_ITERATIONS);
    if (!result.ok) throw new Error(`The model does not compile: ${result.errors.join('; ')}`);
    this.#cached = { key, compiled: result.compiled };
    return result.compiled;
  }

  /** Answers one request; `progress` is called between chunks of a simulation. */
  handle(request: EngineRequest, progress?: (done: number) => void): Outgoing {
    const { id } = request;
    if (request.kind === 'simulate') {
      this.#partition = {};
      if (request.tables) useQuantileTables(request.tables);
      const { job, shared } = request;
      const compiled = this.#compiled(request.model);
      // Straight into this partition of the shared arrays: no copy, no second 8 bytes per value.
      const into = shared
        ? Object.fromEntries(
            Object.entries(shared.outputs).map(([name, buffer]) => [
              name,
              new Float64Array(buffer, job.first * 8, job.count),
            ]),
          )
        : undefined;
      const values = runPartition(compiled, job, progress, into);
      const moments = Object.fromEntries(
        Object.entries(values.outputs).map(([name, v]) => [name, blockMomentPieces(v, job.first)]),
      );
      if (shared)
        for (const [name, buffer] of Object.entries(shared.inputs))
          if (values.inputs[name]) new Float64Array(buffer).set(values.inputs[name]!, job.first);
      if (request.hold) this.#partition = values.outputs;
      const kept = Math.max(0, Math.min(job.count, job.keepInputs - job.first));
      const outputs = shared
        ? {}
        : request.hold
          ? Object.fromEntries(Object.entries(values.outputs).map(([name, v]) => [name, v.slice(0, kept)]))
          : values.outputs;
      const inputs = shared ? {} : values.inputs;
      const reply: EngineReply = { id, kind: 'simulated', moments, outputs, inputs, philox: philoxImplementation() };
      return { reply, transfer: buffersOf(moments, outputs, inputs) };
    }
    if (request.kind === 'summarize') {
      // The trace first: summarizePieces lets go of each output's pieces as it goes.
      const traces = convergenceTraces(request.pieces.outputs);
      return { reply: { id, kind: 'summarized', summary: summarizePieces(request.pieces), traces }, transfer: [] };
    }
    const names = Object.keys(request.plans);
    const held = (name: string) => {
      const values = this.#partition[name];
      if (!values) throw new Error(`This worker holds no values of ${name}: simulate with hold first.`);
      return values;
    };
    if (request.kind === 'count') {
      const counts = Object.fromEntries(names.map((name) => [name, countBins(held(name), request.plans[name]!)]));
      return { reply: { id, kind: 'counted', counts }, transfer: buffersOf(counts) };
    }
    if (request.kind === 'range') {
      const ranges = Object.fromEntries(names.map((name) => [name, binValueRanges(held(name), request.plans[name]!)]));
      return { reply: { id, kind: 'ranged', ranges }, transfer: buffersOf(ranges) };
    }
    const collected = Object.fromEntries(
      names.map((name) => [name, collectWanted(held(name), request.plans[name]!, request.wanted[name]!)]),
    );
    return { reply: { id, kind: 'collected', collected }, transfer: buffersOf(collected) };
  }

  /** handle, with a failure as a `failed` reply. */
  answer(request: EngineRequest, progress?: (done: number) => void): Outgoing {
    try {
      return this.handle(request, progress);
    } catch (error) {
      return {
        reply: { id: request.id, kind: 'failed', message: error instanceof Error ? error.message : String(error) },
        transfer: [],
      };
    }
  }
}
