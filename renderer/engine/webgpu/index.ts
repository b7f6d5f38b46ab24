/** The WebGPU backend of the simulation engine: device, programs, kernels. */
export { assertAdapter, assertStorageFits, assertWebGpu, openComputeDevice, workgroupGrid } from './capabilities';
export { DeviceGuard, guardDevice, WebGpuDeviceLostError } from './device-lost';
export { runKernel, type KernelRun } from './dispatch';
export {
  generateUniformFloats,
  generateUniformWords,
  philoxBlocksProgram,
  runPhiloxBlocks,
  uniformFloatsProgram,
  uniformWordsProgram,
} from './philox-kernels';
export { defineProgram, getPipeline, type ComputeProgram } from './program';
