/**
 * Capability checks as assertion functions (the webgpu-samples / tfjs-backend-webgpu habit): each
 * either narrows its argument or throws a message an analyst or admin can act on, so the engine
 * can fall back to CPU workers with a reason instead of failing deep inside a dispatch.
 */
import { guardDevice } from './device-lost';

export function assertWebGpu(gpu: GPU | undefined): asserts gpu is GPU {
  if (!gpu)
    throw new Error('This window does not expose WebGPU (navigator.gpu is missing); simulations will use CPU workers.');
}

export function assertAdapter(adapter: GPUAdapter | null): asserts adapter is GPUAdapter {
  if (!adapter) throw new Error('No WebGPU adapter was found; simulations will use CPU workers.');
}

/** A buffer of `bytes` must fit both one storage binding and one buffer on this device. */
export function assertStorageFits(device: GPUDevice, bytes: number, what: string): void {
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  if (bytes > limit) {
    throw new RangeError(
      `${what} needs ${bytes} bytes of GPU storage, more than this device allows in one buffer (${limit} bytes); split the run into smaller blocks.`,
    );
  }
}

/**
 * Workgroups for `invocations` threads of `workgroupSize`, spread over x and y when x alone would
 * pass maxComputeWorkgroupsPerDimension. Kernels recover the linear index as
 * gid.y * num_workgroups.x * WORKGROUP_SIZE + gid.x.
 */
export function workgroupGrid(device: GPUDevice, invocations: number, workgroupSize: number): [number, number] {
  const groups = Math.max(1, Math.ceil(invocations / workgroupSize));
  const perDimension = device.limits.maxComputeWorkgroupsPerDimension;
  const x = Math.min(groups, perDimension);
  const y = Math.ceil(groups / x);
  if (y > perDimension)
    throw new RangeError(
      `${invocations} GPU invocations are more than one dispatch can hold on this device; split the run into smaller blocks.`,
    );
  return [x, y];
}

/**
 * Opens a device for the simulation engine, asking for the adapter's largest storage buffers
 * (the defaults are 128 MiB) and watching it for loss from the start.
 */
export async function openComputeDevice(
  gpu: GPU | undefined = globalThis.navigator?.gpu,
  label = 'enclave-engine',
): Promise<GPUDevice> {
  assertWebGpu(gpu);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  assertAdapter(adapter);
  const device = await adapter.requestDevice({
    label,
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    },
  });
  guardDevice(device);
  return device;
}
