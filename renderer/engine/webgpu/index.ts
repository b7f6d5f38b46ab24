/**
 * The WebGPU backend of the simulation engine: device, programs, kernels. The Philox kernels and
 * the one-dispatch helper the tests and benchmark use live in tests/support/webgpu.
 */
export { assertAdapter, assertStorageFits, assertWebGpu, openComputeDevice, workgroupGrid } from './capabilities';
export { DeviceGuard, guardDevice, WebGpuDeviceLostError } from './device-lost';
export { defineProgram, getPipeline, type ComputeProgram } from './program';
export {
  createWebGpuBackend,
  type WebGpuBackend,
  type WebGpuBackendOptions,
  type WebGpuRunOptions,
  type WebGpuValues,
} from './simulation/backend';
export { timeWebGpuKernel, type KernelTiming } from './simulation/calibrate';
export { simulationEntryPoint, simulationProgram } from './simulation/codegen';
export { MAX_GPU_INPUTS, WebGpuModelError } from './simulation/layout';
export { emptyMoments, mergeMoments, varianceOf, type OutputMoments } from './simulation/moments';
