/**
 * One program object per kernel (the tfjs-backend-webgpu habit): its WGSL, entry point and
 * workgroup size, a cache key, and a label that shows up in WebGPU's own error messages. Pipelines
 * are compiled once per device and program and shared by every later dispatch.
 */

export interface ComputeProgram {
  /** Appears on the shader module, pipeline, bind groups and buffers of this kernel. */
  readonly label: string;
  /** WGSL: the library files first, then the kernel (WGSL has no #include). */
  readonly source: string;
  readonly entryPoint: string;
  /** Passed to the kernel's `override WORKGROUP_SIZE`. */
  readonly workgroupSize: number;
  /** Identifies the compiled pipeline: entry point, workgroup size and a hash of the source. */
  readonly cacheKey: string;
}

/** FNV-1a over the UTF-16 code units: enough to tell two sources apart in a cache key. */
function sourceHash(source: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < source.length; i++) hash = Math.imul(hash ^ source.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

export function defineProgram(options: {
  label: string;
  sources: readonly string[];
  entryPoint: string;
  workgroupSize?: number;
}): ComputeProgram {
  const source = options.sources.join('\n');
  const workgroupSize = options.workgroupSize ?? 64;
  return {
    label: options.label,
    source,
    entryPoint: options.entryPoint,
    workgroupSize,
    cacheKey: `${options.entryPoint}/wg${workgroupSize}/${sourceHash(source)}`,
  };
}

interface DeviceCache {
  modules: Map<string, GPUShaderModule>;
  pipelines: Map<string, Promise<GPUComputePipeline>>;
}

const caches = new WeakMap<GPUDevice, DeviceCache>();

function cacheOf(device: GPUDevice): DeviceCache {
  let cache = caches.get(device);
  if (!cache) {
    cache = { modules: new Map(), pipelines: new Map() };
    caches.set(device, cache);
  }
  return cache;
}

async function compilerMessages(module: GPUShaderModule): Promise<string> {
  const info = await module.getCompilationInfo().catch(() => null);
  const errors = info?.messages.filter((message) => message.type === 'error') ?? [];
  return errors.map((message) => `${message.lineNum}:${message.linePos} ${message.message}`).join('; ');
}

async function compile(device: GPUDevice, program: ComputeProgram, cache: DeviceCache): Promise<GPUComputePipeline> {
  const moduleKey = program.cacheKey.slice(program.cacheKey.lastIndexOf('/') + 1);
  let module = cache.modules.get(moduleKey);
  if (!module) {
    module = device.createShaderModule({ label: `${program.label} module`, code: program.source });
    cache.modules.set(moduleKey, module);
  }
  try {
    return await device.createComputePipelineAsync({
      label: `${program.label} pipeline`,
      layout: 'auto',
      compute: { module, entryPoint: program.entryPoint, constants: { WORKGROUP_SIZE: program.workgroupSize } },
    });
  } catch (error) {
    const messages = await compilerMessages(module);
    const reason = messages || (error instanceof Error ? error.message : String(error));
    throw new Error(`The WebGPU kernel "${program.label}" did not compile: ${reason}`, { cause: error });
  }
}

/** The compiled pipeline of `program` on `device`, compiled on first use. */
export function getPipeline(device: GPUDevice, program: ComputeProgram): Promise<GPUComputePipeline> {
  const cache = cacheOf(device);
  let pipeline = cache.pipelines.get(program.cacheKey);
  if (!pipeline) {
    pipeline = compile(device, program, cache);
    // A failed compile is not cached, so a fixed source or a new device can try again.
    pipeline.catch(() => cache.pipelines.delete(program.cacheKey));
    cache.pipelines.set(program.cacheKey, pipeline);
  }
  return pipeline;
}
