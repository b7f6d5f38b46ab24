/**
 * The GPU side of one run: the model's kernel and the moments kernel, the buffers they share
 * (labelled, destroyed by destroy()), and the encoding of one chunk. backend.ts drives it with
 * read-back; calibrate.ts drives it without, to time the kernels alone.
 */
import type { CompiledModel } from '../../../../common/engine/compile-model';
import { lhsPermutationInSlices } from '../../../../common/engine/lhs';
import { assertStorageFits, workgroupGrid } from '../capabilities';
import { getPipeline, type ComputeProgram } from '../program';
import { ITERATIONS_PER_INVOCATION, simulationProgram } from './codegen';
import { layoutModel, WebGpuModelError, type ModelLayout } from './layout';
import { MOMENT_SEGMENT, MOMENT_WORDS, momentGroups, outputMomentsProgram } from './moments';

export interface GpuRunOptions {
  iterations: number;
  seed: number;
  sampling: 'mc' | 'lhs';
  keepInputs: number;
  /** Iterations per dispatch, lowered where the device's buffers are smaller. */
  chunkIterations: number;
  /** Awaited between slices of the Latin Hypercube permutations (default: a macrotask); may throw to stop. */
  pause?: () => Promise<void>;
}

/** Lets the page run between slices of work done on it (a message, not setTimeout, which waits at least 4 ms when nested). */
export function nextTask(): Promise<void> {
  return new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.addEventListener('message', () => {
      channel.port1.close();
      resolve();
    });
    channel.port1.start();
    channel.port2.postMessage(null);
  });
}

/** Device memory one run may hold for its per-chunk buffers (outputs, two read-backs, permutations). */
const CHUNK_MEMORY_BUDGET = 512 * 1024 * 1024;

/** Packing a model's tables is the costly part of preparing it; keep it with the compiled model. */
const layouts = new WeakMap<CompiledModel, ModelLayout>();

export function layoutOf(compiled: CompiledModel): ModelLayout {
  let layout = layouts.get(compiled);
  if (!layout) {
    layout = layoutModel(compiled);
    layouts.set(compiled, layout);
  }
  return layout;
}

/** Iterations per chunk: a multiple of four that every per-chunk buffer, and the memory budget, can hold. */
function chunkSize(
  device: GPUDevice,
  wanted: number,
  iterations: number,
  outputs: number,
  inputs: number,
  lhs: boolean,
  keep: boolean,
): number {
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  const perColumn = Math.max(outputs, lhs || keep ? inputs : 0);
  const perIteration = 4 * (3 * outputs + (lhs ? inputs : 0));
  let chunk = Math.min(
    wanted,
    Math.ceil(iterations / 4) * 4,
    Math.floor(limit / (4 * perColumn)),
    Math.floor(CHUNK_MEMORY_BUDGET / perIteration),
  );
  chunk = Math.min(chunk, device.limits.maxComputeWorkgroupsPerDimension * MOMENT_SEGMENT);
  chunk -= chunk % ITERATIONS_PER_INVOCATION;
  if (chunk < ITERATIONS_PER_INVOCATION) {
    throw new WebGpuModelError(
      `This model has too many outputs or inputs for this GPU's buffers (${limit} bytes). Run it on CPU workers.`,
    );
  }
  return chunk;
}

export class GpuRun {
  readonly layout: ModelLayout;
  readonly program: ComputeProgram;
  /** Iterations per chunk, and slots per input in the kept-inputs region. */
  readonly chunk: number;
  readonly keep: number;
  readonly keepStride: number;
  /** Byte offsets in a read-back buffer: outputs at 0 (chunk slots each), kept inputs, moment partials. */
  readonly keepOffset: number;
  readonly partialsOffset: number;
  readonly readbackBytes: number;

  readonly #device: GPUDevice;
  readonly #options: GpuRunOptions;
  readonly #outputs: number;
  readonly #buffers: GPUBuffer[] = [];
  #permutations: Uint32Array[] | null = null;
  #openScopes = 0;
  #pipeline!: GPUComputePipeline;
  #momentsPipeline!: GPUComputePipeline;
  #bindGroup!: GPUBindGroup;
  #momentsBindGroup!: GPUBindGroup;
  #params!: GPUBuffer;
  #momentParams!: GPUBuffer;
  #out!: GPUBuffer;
  #kept!: GPUBuffer;
  #partials!: GPUBuffer;
  #perm: GPUBuffer | null = null;
  readonly #paramWords = new Uint32Array(12);
  #permStage: Uint32Array | null = null;

  private constructor(device: GPUDevice, compiled: CompiledModel, options: GpuRunOptions) {
    this.#device = device;
    this.#options = options;
    this.layout = layoutOf(compiled);
    this.program = simulationProgram(compiled, this.layout, options.sampling);
    const nIn = this.layout.inputs.length;
    const nOut = compiled.outputs.length;
    this.#outputs = nOut;
    const lhs = options.sampling === 'lhs';
    this.keep = Math.min(options.iterations, options.keepInputs);
    this.chunk = chunkSize(device, options.chunkIterations, options.iterations, nOut, nIn, lhs, this.keep > 0);
    this.keepStride = Math.min(this.keep, this.chunk);
    this.keepOffset = 4 * nOut * this.chunk;
    this.partialsOffset = this.keepOffset + 4 * nIn * this.keepStride;
    this.readbackBytes = this.partialsOffset + 4 * MOMENT_WORDS * nOut * momentGroups(this.chunk);
  }

  /** Every input's Latin Hypercube permutation of the whole run, drawn in slices so the page stays responsive. */
  async #drawPermutations(): Promise<void> {
    const { seed, iterations, pause = nextTask } = this.#options;
    const permutations: Uint32Array[] = [];
    for (let k = 0; k < this.layout.inputs.length; k++)
      permutations.push(await lhsPermutationInSlices(seed, k, iterations, pause));
    this.#permutations = permutations;
  }

  /** Compiles (or finds) the pipelines and creates the buffers; errors in them surface at the first checkErrors(). */
  static async open(device: GPUDevice, compiled: CompiledModel, options: GpuRunOptions, work: string): Promise<GpuRun> {
    const gpuRun = new GpuRun(device, compiled, options);
    if (options.sampling === 'lhs') await gpuRun.#drawPermutations();
    [gpuRun.#pipeline, gpuRun.#momentsPipeline] = await Promise.all([
      getPipeline(device, gpuRun.program),
      getPipeline(device, outputMomentsProgram),
    ]);
    assertStorageFits(device, gpuRun.layout.data.byteLength, work);
    assertStorageFits(device, gpuRun.readbackBytes, work);
    try {
      gpuRun.#createBuffers();
    } catch (error) {
      gpuRun.destroy();
      throw error;
    }
    return gpuRun;
  }

  #makeBuffer(label: string, size: number, usage: GPUBufferUsageFlags): GPUBuffer {
    const buffer = this.#device.createBuffer({
      label: `${this.program.label} ${label}`,
      size: Math.max(16, Math.ceil(size / 4) * 4),
      usage,
    });
    this.#buffers.push(buffer);
    return buffer;
  }

  #createBuffers(): void {
    const device = this.#device;
    const nOut = this.#outputs;
    const nIn = this.layout.inputs.length;
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    this.#openScopes = 2;
    this.#params = this.#makeBuffer(
      'params',
      this.#paramWords.byteLength,
      GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    );
    this.#momentParams = this.#makeBuffer('moment params', 16, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    const data = this.#makeBuffer(
      'model data',
      this.layout.data.byteLength,
      GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
    );
    device.queue.writeBuffer(data, 0, this.layout.data);
    this.#out = this.#makeBuffer('outputs', 4 * nOut * this.chunk, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
    this.#kept = this.#makeBuffer(
      'kept inputs',
      4 * nIn * this.keepStride,
      GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
    );
    this.#partials = this.#makeBuffer(
      'moment partials',
      4 * MOMENT_WORDS * nOut * momentGroups(this.chunk),
      GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
    );
    const entries: GPUBindGroupEntry[] = [this.#params, data, this.#out, this.#kept].map((buffer, binding) => ({
      binding,
      resource: { buffer },
    }));
    if (this.#permutations) {
      this.#perm = this.#makeBuffer(
        'LHS permutations',
        4 * nIn * this.chunk,
        GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
      );
      this.#permStage = new Uint32Array(nIn * this.chunk);
      entries.push({ binding: 4, resource: { buffer: this.#perm } });
    }
    this.#bindGroup = device.createBindGroup({
      label: `${this.program.label} bind group`,
      layout: this.#pipeline.getBindGroupLayout(0),
      entries,
    });
    this.#momentsBindGroup = device.createBindGroup({
      label: 'output moments bind group',
      layout: this.#momentsPipeline.getBindGroupLayout(0),
      entries: [this.#momentParams, this.#out, this.#partials].map((buffer, binding) => ({
        binding,
        resource: { buffer },
      })),
    });
  }

  /** A mappable buffer the size of one chunk's read-back. */
  readbackBuffer(label: string): GPUBuffer {
    return this.#makeBuffer(label, this.readbackBytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
  }

  /** The chunk's outputs on the GPU (output o at 4 * o * chunk), for passes that read them where they are. */
  get outputBuffer(): GPUBuffer {
    return this.#out;
  }

  /** A buffer this GPU run destroys with the rest. */
  makeBuffer(label: string, size: number, usage: GPUBufferUsageFlags): GPUBuffer {
    return this.#makeBuffer(label, size, usage);
  }

  /**
   * Encodes and submits iterations [start, start + length): the model's kernel, the moments, then
   * `after` (further passes over the outputs), and, given a buffer, the copies to read back: every
   * output value and kept input unless `values` is false, the moment partials always.
   */
  submit(
    start: number,
    length: number,
    readback: GPUBuffer | null,
    extra: { values?: boolean; after?: (encoder: GPUCommandEncoder) => void } = {},
  ): { groups: number; keepLength: number } {
    const device = this.#device;
    const { seed, iterations } = this.#options;
    const nOut = this.#outputs;
    const block = start / ITERATIONS_PER_INVOCATION;
    const keepLength = Math.max(0, Math.min(length, this.keep - start));
    const lhs = this.#permutations !== null;
    this.#paramWords.set([
      seed,
      length,
      block >>> 0,
      Math.floor(block / 2 ** 32),
      this.chunk,
      keepLength,
      this.keepStride,
      lhs ? iterations : 0,
    ]);
    new Float32Array(this.#paramWords.buffer, 32, 1)[0] = iterations;
    device.queue.writeBuffer(this.#params, 0, this.#paramWords);
    const groups = momentGroups(length);
    device.queue.writeBuffer(this.#momentParams, 0, new Uint32Array([length, this.chunk, groups, 0]));
    if (this.#perm && this.#permStage && this.#permutations) {
      this.#permutations.forEach((p, k) => this.#permStage!.set(p.subarray(start, start + length), k * this.chunk));
      device.queue.writeBuffer(this.#perm, 0, this.#permStage);
    }
    const encoder = device.createCommandEncoder({ label: `${this.program.label} encoder` });
    const pass = encoder.beginComputePass({ label: `${this.program.label} pass` });
    pass.setPipeline(this.#pipeline);
    pass.setBindGroup(0, this.#bindGroup);
    pass.dispatchWorkgroups(...workgroupGrid(device, length / ITERATIONS_PER_INVOCATION, this.program.workgroupSize));
    pass.end();
    const reduce = encoder.beginComputePass({ label: 'output moments pass' });
    reduce.setPipeline(this.#momentsPipeline);
    reduce.setBindGroup(0, this.#momentsBindGroup);
    reduce.dispatchWorkgroups(groups, nOut);
    reduce.end();
    extra.after?.(encoder);
    if (readback) {
      const values = extra.values ?? true;
      if (values)
        for (let o = 0; o < nOut; o++)
          encoder.copyBufferToBuffer(this.#out, 4 * o * this.chunk, readback, 4 * o * this.chunk, 4 * length);
      if (values && keepLength > 0)
        encoder.copyBufferToBuffer(this.#kept, 0, readback, this.keepOffset, this.partialsOffset - this.keepOffset);
      encoder.copyBufferToBuffer(this.#partials, 0, readback, this.partialsOffset, 4 * MOMENT_WORDS * nOut * groups);
    }
    device.queue.submit([encoder.finish()]);
    return { groups, keepLength };
  }

  /** Validation and out-of-memory errors of the buffers, bind groups and first submit, as one clear error. */
  async checkErrors(work: string): Promise<void> {
    if (this.#openScopes === 0) return;
    this.#openScopes = 0;
    const validation = await this.#device.popErrorScope();
    const outOfMemory = await this.#device.popErrorScope();
    if (validation) throw new Error(`WebGPU refused ${work} ("${this.program.label}"): ${validation.message}`);
    if (outOfMemory)
      throw new Error(`The GPU ran out of memory for ${work} ("${this.program.label}"): ${outOfMemory.message}`);
  }

  destroy(): void {
    for (; this.#openScopes > 0; this.#openScopes--) this.#device.popErrorScope().catch(() => undefined);
    for (const buffer of this.#buffers) buffer.destroy();
  }
}
