/// <reference types="@webgpu/types" />
/**
 * For the tests and the benchmark only (the app's runs go through simulation/backend.ts).
 * One dispatch of a program with a read-back result: upload the parameters and inputs, run the
 * kernel over enough workgroups, copy the output into a mappable buffer and read it. Every buffer
 * is labelled after the program and destroyed afterwards, and the whole thing runs under the
 * device's loss guard, so a lost device rejects with WebGpuDeviceLostError instead of hanging.
 */
import { assertStorageFits, workgroupGrid } from '../../../renderer/engine/webgpu/capabilities';
import { guardDevice } from '../../../renderer/engine/webgpu/device-lost';
import { getPipeline, type ComputeProgram } from '../../../renderer/engine/webgpu/program';

export interface KernelRun {
  /** What the analyst would call this work, for error messages. */
  work: string;
  /** The kernel's uniform parameters at @binding(0), as 32-bit words. */
  params: Uint32Array;
  /** Read-only storage inputs, by binding. */
  inputs?: { binding: number; data: Uint32Array }[];
  /** The read_write storage output: its binding and size in bytes. */
  output: { binding: number; bytes: number };
  /** How many invocations the kernel needs. */
  invocations: number;
}

/** Uniform buffers are sized in multiples of 16 bytes, the uniform struct alignment. */
function uniformSize(bytes: number): number {
  return Math.max(16, Math.ceil(bytes / 16) * 16);
}

export function runKernel(device: GPUDevice, program: ComputeProgram, run: KernelRun): Promise<ArrayBuffer> {
  const guard = guardDevice(device);
  return guard.run(run.work, async () => {
    assertStorageFits(device, run.output.bytes, run.work);
    for (const input of run.inputs ?? []) assertStorageFits(device, input.data.byteLength, run.work);
    const [x, y] = workgroupGrid(device, run.invocations, program.workgroupSize);
    const pipeline = await getPipeline(device, program);
    guard.assertUsable(run.work);

    const buffers: GPUBuffer[] = [];
    const makeBuffer = (label: string, size: number, usage: GPUBufferUsageFlags) => {
      const buffer = device.createBuffer({ label: `${program.label} ${label}`, size, usage });
      buffers.push(buffer);
      return buffer;
    };
    try {
      device.pushErrorScope('out-of-memory');
      device.pushErrorScope('validation');
      const params = makeBuffer(
        'params',
        uniformSize(run.params.byteLength),
        GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
      );
      device.queue.writeBuffer(params, 0, run.params);
      const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: params } }];
      for (const input of run.inputs ?? []) {
        const buffer = makeBuffer(
          `input ${input.binding}`,
          Math.max(16, input.data.byteLength),
          GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
        );
        device.queue.writeBuffer(buffer, 0, input.data);
        entries.push({ binding: input.binding, resource: { buffer } });
      }
      const outputBytes = Math.max(16, Math.ceil(run.output.bytes / 4) * 4);
      const output = makeBuffer('output', outputBytes, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
      const readback = makeBuffer('readback', outputBytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
      entries.push({ binding: run.output.binding, resource: { buffer: output } });

      const bindGroup = device.createBindGroup({
        label: `${program.label} bind group`,
        layout: pipeline.getBindGroupLayout(0),
        entries,
      });
      const encoder = device.createCommandEncoder({ label: `${program.label} encoder` });
      const pass = encoder.beginComputePass({ label: `${program.label} pass` });
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(x, y);
      pass.end();
      encoder.copyBufferToBuffer(output, 0, readback, 0, outputBytes);
      device.queue.submit([encoder.finish()]);
      const validation = await device.popErrorScope();
      const outOfMemory = await device.popErrorScope();
      if (validation) throw new Error(`WebGPU refused ${run.work} ("${program.label}"): ${validation.message}`);
      if (outOfMemory)
        throw new Error(`The GPU ran out of memory for ${run.work} ("${program.label}"): ${outOfMemory.message}`);

      await readback.mapAsync(GPUMapMode.READ);
      const result = readback.getMappedRange(0, run.output.bytes).slice(0);
      readback.unmap();
      return result;
    } finally {
      for (const buffer of buffers) buffer.destroy();
    }
  });
}
