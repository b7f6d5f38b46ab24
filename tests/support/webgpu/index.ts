/**
 * The WebGPU engine as the e2e tests and the WebGPU benchmark install it in a page: the app's
 * module (renderer/engine/webgpu) and the kernels only they use (the Random123 known-answer check
 * and raw uniforms: philox-kernels.ts, on dispatch.ts).
 */
export * from '../../../renderer/engine/webgpu/index';
export { runKernel, type KernelRun } from './dispatch';
export {
  generateUniformFloats,
  generateUniformWords,
  philoxBlocksProgram,
  runPhiloxBlocks,
  uniformFloatsProgram,
  uniformWordsProgram,
} from './philox-kernels';
