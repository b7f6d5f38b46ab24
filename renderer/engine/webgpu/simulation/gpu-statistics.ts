/**
 * Exact statistics of a WebGPU run without reading its values back. Philox streams are counter
 * based, so the GPU can simulate the same iterations again at will; three passes over the run:
 *
 * 1. the kernel and its moments (moments.wgsl): count, mean, sum of squares, min and max of every
 *    output; only the moment partials come back, and the first keepInputs iterations of every
 *    output and input (sensitivity needs them);
 * 2. the kernel again, and every finite value counted in one of the run's fine bins (65,550, up to
 *    16 times as many for long runs: stat-plan.ts) of equal width from min to max, and in one of
 *    as many bins of equal relative width (stat-plan.wgsl), with the sums of the deviations'
 *    powers for sd, skewness and kurtosis (stat-bins.wgsl);
 * 3. the kernel again, and only the values in the bins that hold a rank the percentiles and the
 *    CDF read come back (stat-collect.wgsl), binned whichever way holds fewer values there: for a
 *    smooth output about 0.5% of them at 65,550 bins, 0.03% at 10^9 iterations.
 *
 * common/engine/statistics.ts then gives what summarize gives for the same f32 values: the same
 * order statistics (percentiles and CDF exactly), moments within f32 accumulation (about 1e-6
 * relative), and histogram counts that can differ by the values within one f32 rounding of a bin
 * edge.
 *
 * An output whose wanted bins hold too much of it either way (a discrete output: its few values
 * fill the bins that hold the ranks) takes one more pass before pass 3, the range pass
 * (stat-range.wgsl): each of its ulp bins' smallest and largest value. A bin where the two agree
 * holds one value, so its ranks are known without collecting it, and where every bin is such,
 * the histogram is the host's own. Only where the wanted bins still hold several values each, or
 * where the range does not fit f32 arithmetic, is every value read back in pass 3 and summarized
 * on the host, the other outputs staying on the GPU. Null (the caller reads every value back)
 * only where the device's buffers are too small.
 */
import type { CompiledModel } from '../../../../common/engine/compile-model';
import { pickRanks } from '../../../../common/engine/order-statistics';
import {
  statisticsFrom,
  statisticsRanks,
  summarize,
  type OutputStatistics,
} from '../../../../common/engine/statistics';
import type { BackendRunOptions } from '../../backend';
import { defineProgram, getPipeline } from '../program';
import {
  emptyMoments,
  mergeMoments,
  momentGroups,
  MOMENT_WORDS,
  MOMENT_WORKGROUP_SIZE,
  momentsFromPartials,
  type OutputMoments,
} from './moments';
import { GpuRun } from './gpu-run';
import {
  binsWithin,
  centralMoments,
  fineBinsFor,
  histogramCountsOfSingles,
  planCollection,
  singleValueBins,
  ulpBinning,
  type GpuStatisticsTiming,
  type OutputBinning,
  type SingleValueBins,
} from './stat-plan';
import statBinsSource from './stat-bins.wgsl?raw';
import statCollectSource from './stat-collect.wgsl?raw';
import statPlanSource from './stat-plan.wgsl?raw';
import statRangeSource from './stat-range.wgsl?raw';

export const outputBinsProgram = defineProgram({
  label: 'output bins',
  sources: [statPlanSource, statBinsSource],
  entryPoint: 'output_bins',
  workgroupSize: MOMENT_WORKGROUP_SIZE,
});
export const outputRangeProgram = defineProgram({
  label: 'output range',
  sources: [statPlanSource, statRangeSource],
  entryPoint: 'output_range',
  workgroupSize: MOMENT_WORKGROUP_SIZE,
});
export const outputCollectProgram = defineProgram({
  label: 'output collect',
  sources: [statPlanSource, statCollectSource],
  entryPoint: 'output_collect',
  workgroupSize: MOMENT_WORKGROUP_SIZE,
});

/** Bytes of one OutputPlan in stat-plan.wgsl. */
const PLAN_BYTES = 32;
/** Bit of OutputPlan.shift_mode that has the range pass (stat-range.wgsl) bound this output's ulp bins. */
const RANGE_FLAG = 0x200;
/** Power sums per workgroup: Σd, Σd², Σd³, Σd⁴ (vec4<f32>). */
const POWER_WORDS = 4;

export interface GpuStatistics {
  statistics: Record<string, OutputStatistics>;
  timing: GpuStatisticsTiming;
  /** The first keepInputs iterations of every output and input, for sensitivity. */
  outputs: Record<string, Float64Array>;
  inputs: Record<string, Float64Array>;
}

export interface GpuStatisticsOptions extends BackendRunOptions {
  chunkIterations: number;
  /** Fine bins per output and kind, a multiple of 50; default fineBinsFor(iterations). */
  fineBins?: number;
  /** Throws when the run must stop (cancelled, backend disposed, device lost). */
  stop: () => void;
}

/** One pass over every chunk: each submitted while the previous one's results are read. */
async function eachChunk(
  gpuRun: GpuRun,
  iterations: number,
  submit: (start: number, length: number, index: number) => void,
  collect: (start: number, length: number, index: number) => Promise<void>,
  stop: () => void,
): Promise<void> {
  let previous: Promise<void> | null = null;
  const pending: Promise<void>[] = [];
  try {
    for (let start = 0, index = 0; start < iterations; start += gpuRun.chunk, index++) {
      stop();
      const length = Math.min(gpuRun.chunk, iterations - start);
      submit(start, length, index);
      if (previous) await previous;
      previous = collect(start, length, index);
      previous.catch(() => undefined);
      pending.push(previous);
    }
    await previous;
  } finally {
    await Promise.allSettled(pending);
  }
}

/** A statistics pass's kernel with its buffers bound (binding i: buffers[i]), over `outputs` outputs. */
interface OutputPass {
  label: string;
  pipeline: GPUComputePipeline;
  group: GPUBindGroup;
  outputs: number;
}

function outputPass(
  device: GPUDevice,
  label: string,
  pipeline: GPUComputePipeline,
  buffers: GPUBuffer[],
  outputs: number,
): OutputPass {
  const entries = buffers.map((buffer, binding) => ({ binding, resource: { buffer } }));
  return {
    label,
    pipeline,
    group: device.createBindGroup({ label: `${label} bind group`, layout: pipeline.getBindGroupLayout(0), entries }),
    outputs,
  };
}

/**
 * The kernel again over one chunk, then `pass` over its outputs: `groups` workgroups of
 * MOMENT_SEGMENT values for each output, with the chunk's StatParams written first. `then`
 * encodes what follows the pass (copies to read-back buffers). Returns the workgroups per output.
 */
function submitOutputPass(
  device: GPUDevice,
  gpuRun: GpuRun,
  params: { buffer: GPUBuffer; bins: number },
  pass: OutputPass,
  start: number,
  length: number,
  then?: (encoder: GPUCommandEncoder, groups: number) => void,
): number {
  const groups = momentGroups(length);
  device.queue.writeBuffer(params.buffer, 0, new Uint32Array([length, gpuRun.chunk, groups, params.bins]));
  gpuRun.submit(start, length, null, {
    after: (encoder) => {
      const compute = encoder.beginComputePass({ label: `${pass.label} pass` });
      compute.setPipeline(pass.pipeline);
      compute.setBindGroup(0, pass.group);
      compute.dispatchWorkgroups(groups, pass.outputs);
      compute.end();
      then?.(encoder, groups);
    },
  });
  return groups;
}

/** Maps `buffer` for reading from `offset` (rounded down to 8 bytes, as mapAsync needs) to its end. */
async function mapFrom(buffer: GPUBuffer, offset: number): Promise<{ range: ArrayBuffer; shift: number }> {
  const aligned = offset - (offset % 8);
  await buffer.mapAsync(GPUMapMode.READ, aligned, buffer.size - aligned);
  return { range: buffer.getMappedRange(aligned, buffer.size - aligned), shift: offset - aligned };
}

export async function simulateWithGpuStatistics(
  device: GPUDevice,
  compiled: CompiledModel,
  options: GpuStatisticsOptions,
  work: string,
): Promise<GpuStatistics | null> {
  const { iterations, stop } = options;
  const [binsPipeline, rangePipeline, collectPipeline] = await Promise.all([
    getPipeline(device, outputBinsProgram),
    getPipeline(device, outputRangeProgram),
    getPipeline(device, outputCollectProgram),
  ]);
  const gpuRun = await GpuRun.open(device, compiled, options, work);
  try {
    const names = compiled.outputs;
    const nOut = names.length;
    const { layout, chunk, keep, keepStride, keepOffset, partialsOffset } = gpuRun;
    const progress = (pass: number, done: number) =>
      options.onProgress?.(Math.round((pass * iterations + done) / 3), iterations);

    // Pass 1: moments, and the kept iterations.
    const outputs = Object.fromEntries(names.map((name) => [name, new Float64Array(keep)]));
    const inputs =
      keep > 0 ? Object.fromEntries(layout.inputs.map((input) => [input.name, new Float64Array(keep)])) : {};
    const moments: OutputMoments[] = names.map(() => emptyMoments());
    const readbacks = [gpuRun.readbackBuffer('read-back 0'), gpuRun.readbackBuffer('read-back 1')];
    const chunkGroups: number[] = [];
    const pass1Start = performance.now();
    await eachChunk(
      gpuRun,
      iterations,
      (start, length, index) => {
        const values = start < keep;
        chunkGroups[index] = gpuRun.submit(start, length, readbacks[index % 2]!, { values }).groups;
      },
      async (start, length, index) => {
        const readback = readbacks[index % 2]!;
        const kept = Math.max(0, Math.min(length, keep - start));
        const { range, shift } =
          kept > 0
            ? { range: (await readback.mapAsync(GPUMapMode.READ), readback.getMappedRange()), shift: partialsOffset }
            : await mapFrom(readback, partialsOffset);
        const groups = chunkGroups[index]!;
        const partials = new Float32Array(range, shift, MOMENT_WORDS * nOut * groups);
        names.forEach((_, o) => (moments[o] = mergeMoments(moments[o]!, momentsFromPartials(partials, o, groups))));
        if (kept > 0) {
          names.forEach((name, o) => outputs[name]!.set(new Float32Array(range, 4 * o * chunk, kept), start));
          layout.inputs.forEach((input, k) =>
            inputs[input.name]!.set(new Float32Array(range, keepOffset + 4 * k * keepStride, kept), start),
          );
        }
        readback.unmap();
        stop();
        progress(0, start + length);
      },
      stop,
    );
    await gpuRun.checkErrors(work);
    const momentsMs = performance.now() - pass1Start;

    // What passes 2 and 3 know of each output.
    // As many bins as the run asks for, as far as one buffer holds both kinds for every output.
    const storage = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
    const bins = binsWithin(options.fineBins ?? fineBinsFor(iterations), storage, nOut);
    if (bins === 0) return null;
    const planData = new ArrayBuffer(PLAN_BYTES * nOut);
    const planFloats = new Float32Array(planData);
    const planWords = new Uint32Array(planData);
    const binning: OutputBinning[] = [];
    for (let o = 0; o < nOut; o++) {
      const m = moments[o]!;
      const scale = Math.fround(bins / Math.fround(m.max - m.min));
      // A range too wide for f32 (or too narrow to divide) cannot be binned on the GPU.
      const binnable = Number.isFinite(Math.fround(m.max - m.min)) && Number.isFinite(scale) && scale > 0;
      binning.push(!(m.count > 0 && m.max > m.min) ? 'equal' : binnable ? 'binned' : 'unbinnable');
      const active = binning[o] === 'binned';
      planFloats.set(
        [active ? m.min : 0, active ? scale : 0, Number.isFinite(m.mean) ? m.mean : 0],
        (o * PLAN_BYTES) / 4,
      );
      planWords[(o * PLAN_BYTES) / 4 + 3] = active ? 1 : 0;
      if (active) {
        const { keyLo, shift } = ulpBinning(m.min, m.max, bins);
        planWords[(o * PLAN_BYTES) / 4 + 6] = keyLo;
        planWords[(o * PLAN_BYTES) / 4 + 7] = shift;
      }
    }
    const STORAGE = GPUBufferUsage.STORAGE;
    const plans = gpuRun.makeBuffer('statistics plans', planData.byteLength, STORAGE | GPUBufferUsage.COPY_DST);
    device.queue.writeBuffer(plans, 0, planData);
    const statParams = gpuRun.makeBuffer('statistics params', 16, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    const maxGroups = momentGroups(chunk);
    // Per output: `bins` linear bins, then `bins` ulp bins.
    const countsBytes = 4 * 2 * bins * nOut;
    const counts = gpuRun.makeBuffer('fine bin counts', countsBytes, STORAGE | GPUBufferUsage.COPY_SRC);
    const powers = gpuRun.makeBuffer(
      'power sums',
      4 * POWER_WORDS * nOut * maxGroups,
      STORAGE | GPUBufferUsage.COPY_SRC,
    );
    const powerReadbacks = [0, 1].map((i) =>
      gpuRun.makeBuffer(
        `power sums read-back ${i}`,
        4 * POWER_WORDS * nOut * maxGroups,
        GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      ),
    );
    const params = { buffer: statParams, bins };
    const binsPass = outputPass(
      device,
      'output bins',
      binsPipeline,
      [statParams, gpuRun.outputBuffer, plans, counts, powers],
      nOut,
    );

    // Pass 2: fine bin counts and power sums.
    const sums = names.map(() => new Float64Array(POWER_WORDS));
    const pass2Start = performance.now();
    await eachChunk(
      gpuRun,
      iterations,
      (start, length, index) => {
        chunkGroups[index] = submitOutputPass(device, gpuRun, params, binsPass, start, length, (encoder, groups) =>
          encoder.copyBufferToBuffer(powers, 0, powerReadbacks[index % 2]!, 0, 4 * POWER_WORDS * nOut * groups),
        );
      },
      async (start, length, index) => {
        const readback = powerReadbacks[index % 2]!;
        await readback.mapAsync(GPUMapMode.READ);
        const groups = chunkGroups[index]!;
        const words = new Float32Array(readback.getMappedRange(), 0, POWER_WORDS * nOut * groups);
        for (let o = 0; o < nOut; o++) {
          for (let g = 0; g < groups; g++)
            for (let w = 0; w < POWER_WORDS; w++) sums[o]![w]! += words[(o * groups + g) * POWER_WORDS + w]!;
        }
        readback.unmap();
        stop();
        progress(1, start + length);
      },
      stop,
    );
    const binsMs = performance.now() - pass2Start;
    const hostStart = performance.now();
    const fine = await readWords(device, gpuRun, counts, countsBytes);

    // A bin's count is a u32: past 2^32 values in one bin (runs of more than 4.3 billion
    // iterations) it wraps, which the total would show.
    binning.forEach((how, o) => {
      if (how !== 'binned') return;
      let total = 0;
      for (let b = 0; b < bins; b++) total += fine[2 * o * bins + b]!;
      if (total !== moments[o]!.count)
        throw new RangeError(
          `"${names[o]}" put more than 4,294,967,295 values of ${work} in one GPU bin, more than it can count. Run fewer iterations.`,
        );
    });

    // Which bins hold the ranks, and room for their values.
    const ranks = names.map((_, o) => statisticsRanks(moments[o]!.count));
    const finite = moments.map((m) => m.count);
    let collection = planCollection(fine, bins, ranks, finite, binning);
    // Crowded wanted bins (a discrete output's few values fill them): the range pass finds which
    // bins hold a single value, known without collecting.
    const crowded = names.flatMap((_, o) =>
      collection.outputs[o]?.kind === 'read-back' && binning[o] === 'binned' ? [o] : [],
    );
    let rangeMs = 0;
    if (crowded.length > 0 && 16 * bins * crowded.length <= storage) {
      crowded.forEach((o, k) => {
        planWords[(o * PLAN_BYTES) / 4 + 4] = k;
        planWords[(o * PLAN_BYTES) / 4 + 7]! |= RANGE_FLAG;
      });
      const rangeStart = performance.now();
      const range = await rangePass(
        device,
        gpuRun,
        { pipeline: rangePipeline, plans, planData, params, iterations, stop },
        crowded.length,
      );
      rangeMs = performance.now() - rangeStart;
      for (const o of crowded) planWords[(o * PLAN_BYTES) / 4 + 7]! &= ~RANGE_FLAG;
      const single: (SingleValueBins | undefined)[] = [];
      crowded.forEach((o, k) => {
        const kind = (mode: number) =>
          singleValueBins(
            range.subarray((4 * k + 2 * mode) * bins, (4 * k + 2 * mode + 2) * bins),
            fine.subarray((2 * o + mode) * bins, (2 * o + mode + 1) * bins),
          );
        single[o] = [kind(0), kind(1)];
      });
      collection = planCollection(fine, bins, ranks, finite, binning, single);
    }
    const { wanted, slots } = collection;
    // Outputs whose every value comes back (discrete ones, mostly), and where they go.
    const readBack = names.flatMap((name, o) =>
      collection.outputs[o]?.kind === 'read-back' ? [{ name, o, values: new Float64Array(iterations) }] : [],
    );
    collection.outputs.forEach((chosen, o) => {
      if (chosen?.kind !== 'collect') return;
      planWords[(o * PLAN_BYTES) / 4 + 4] = chosen.offset;
      planWords[(o * PLAN_BYTES) / 4 + 5] = chosen.capacity;
      planWords[(o * PLAN_BYTES) / 4 + 7]! |= chosen.mode << 8;
    });
    const choosingMs = performance.now() - hostStart - rangeMs;
    const collectedBytes = Math.max(16, 4 * slots);
    if (collectedBytes > storage) return null;

    // Pass 3: the values in the wanted bins.
    device.queue.writeBuffer(plans, 0, planData);
    const wantedBuffer = gpuRun.makeBuffer('wanted bins', wanted.byteLength, STORAGE | GPUBufferUsage.COPY_DST);
    device.queue.writeBuffer(wantedBuffer, 0, wanted);
    const cursor = gpuRun.makeBuffer('collected counts', 4 * nOut, STORAGE | GPUBufferUsage.COPY_SRC);
    const collected = gpuRun.makeBuffer('collected values', collectedBytes, STORAGE | GPUBufferUsage.COPY_SRC);
    const collectPass = outputPass(
      device,
      'output collect',
      collectPipeline,
      [statParams, gpuRun.outputBuffer, plans, wantedBuffer, cursor, collected],
      nOut,
    );
    if (4 * chunk * readBack.length > storage) return null;
    const valueReadbacks =
      readBack.length > 0
        ? [0, 1].map((i) =>
            gpuRun.makeBuffer(
              `output values read-back ${i}`,
              4 * chunk * readBack.length,
              GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
            ),
          )
        : [];
    const pass3Start = performance.now();
    await eachChunk(
      gpuRun,
      iterations,
      (start, length, index) => {
        submitOutputPass(device, gpuRun, params, collectPass, start, length, (encoder) =>
          readBack.forEach(({ o }, k) =>
            encoder.copyBufferToBuffer(
              gpuRun.outputBuffer,
              4 * o * chunk,
              valueReadbacks[index % 2]!,
              4 * k * chunk,
              4 * length,
            ),
          ),
        );
      },
      async (start, length, index) => {
        if (readBack.length > 0) {
          const readback = valueReadbacks[index % 2]!;
          await readback.mapAsync(GPUMapMode.READ);
          const mapped = readback.getMappedRange();
          readBack.forEach(({ values }, k) => values.set(new Float32Array(mapped, 4 * k * chunk, length), start));
          readback.unmap();
        } else {
          // Keeps the queue no more than a chunk ahead, as the other passes do.
          await device.queue.onSubmittedWorkDone();
        }
        stop();
        progress(2, start + length);
      },
      stop,
    );
    const taken = await readWords(device, gpuRun, cursor, 4 * nOut);
    const collectMs = performance.now() - pass3Start;
    const sortStart = performance.now();
    const values = new Float32Array((await readWords(device, gpuRun, collected, collectedBytes)).buffer);

    const statistics: Record<string, OutputStatistics> = {};
    names.forEach((name, o) => {
      const m = moments[o]!;
      const plan = (o * PLAN_BYTES) / 4;
      const central = centralMoments(m.count, planFloats[plan + 2]!, sums[o]!, m.min, m.max, iterations - m.count);
      const chosen = collection.outputs[o];
      if (!chosen) {
        // Every finite value is equal (or there is none): each rank reads min.
        statistics[name] = statisticsFrom(central, null, new Map(ranks[o]!.map((r) => [r, m.min])));
        return;
      }
      if (chosen.kind === 'read-back') {
        statistics[name] = summarize(readBack.find((r) => r.o === o)!.values);
        return;
      }
      const { offset, capacity } = chosen;
      if (taken[o] !== capacity)
        throw new Error(
          `The GPU collected ${taken[o]} values of "${name}" for its percentiles where its bin counts promise ${capacity}.`,
        );
      const sorted = Float64Array.from(values.subarray(offset, offset + capacity)).sort();
      // The histogram is built from the linear bins; the ranks come from the bins collected by.
      const linear = fine.subarray(2 * o * bins, (2 * o + 1) * bins);
      // Where every value lies in a single-value bin, the host's own histogram of those values.
      const histogram = (chosen.single && histogramCountsOfSingles(chosen.single, chosen.counts, m)) || linear;
      statistics[name] = statisticsFrom(
        central,
        histogram,
        pickRanks(chosen.counts, chosen.flags, sorted, ranks[o]!, chosen.single),
      );
    });
    const singleValued = names.filter((_, o) => crowded.includes(o) && collection.outputs[o]?.kind === 'collect');
    const timing = {
      momentsMs,
      binsMs,
      rangeMs,
      collectMs,
      hostMs: choosingMs + performance.now() - sortStart,
      collected: slots,
      singleValued,
      readBack: readBack.map((r) => r.name),
    };
    return { statistics, outputs, inputs, timing };
  } finally {
    gpuRun.destroy();
  }
}

interface RangePass {
  pipeline: GPUComputePipeline;
  plans: GPUBuffer;
  planData: ArrayBuffer;
  params: { buffer: GPUBuffer; bins: number };
  iterations: number;
  stop: () => void;
}

/** The kernel again, and per bin of each output marked RANGE_FLAG its smallest and largest key, both binnings (stat-range.wgsl). */
async function rangePass(device: GPUDevice, gpuRun: GpuRun, pass: RangePass, marked: number): Promise<Uint32Array> {
  const { plans, planData, params } = pass;
  device.queue.writeBuffer(plans, 0, planData);
  const bytes = 4 * 4 * params.bins * marked;
  // New buffers are zero-filled: no key yet, either way.
  const keys = gpuRun.makeBuffer('bin key ranges', bytes, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
  const range = outputPass(
    device,
    'output range',
    pass.pipeline,
    [params.buffer, gpuRun.outputBuffer, plans, keys],
    planData.byteLength / PLAN_BYTES,
  );
  await eachChunk(
    gpuRun,
    pass.iterations,
    (start, length) => submitOutputPass(device, gpuRun, params, range, start, length),
    async () => {
      await device.queue.onSubmittedWorkDone();
      pass.stop();
    },
    pass.stop,
  );
  return readWords(device, gpuRun, keys, bytes);
}

/** A storage buffer's contents as u32 words (copied to a mappable buffer first). */
async function readWords(device: GPUDevice, gpuRun: GpuRun, source: GPUBuffer, bytes: number): Promise<Uint32Array> {
  const staging = gpuRun.makeBuffer(
    `${source.label} read-back`,
    bytes,
    GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  );
  const encoder = device.createCommandEncoder({ label: `${source.label} copy` });
  encoder.copyBufferToBuffer(source, 0, staging, 0, bytes);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const words = new Uint32Array(staging.getMappedRange().slice(0));
  staging.unmap();
  return words;
}
