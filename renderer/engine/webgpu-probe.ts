/** What the WebGPU check found, in words an analyst or admin can act on. */
export type WebGpuProbe =
  | {
      available: true;
      vendor: string;
      architecture: string;
      description: string;
      fallbackAdapter: boolean;
      maxStorageBufferMiB: number;
    }
  | { available: false; reason: string };

function assertWebGpu(gpu: GPU | undefined): asserts gpu is GPU {
  if (!gpu)
    throw new Error('This window does not expose WebGPU (navigator.gpu is missing); simulations will use CPU workers.');
}

/** Finds an adapter and opens (then releases) a device on it, so "available" means usable. */
export async function probeWebGpu(): Promise<WebGpuProbe> {
  try {
    assertWebGpu(navigator.gpu);
    const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { available: false, reason: 'No WebGPU adapter was found; simulations will use CPU workers.' };
    const device = await adapter.requestDevice({ label: 'enclave-probe' });
    device.destroy();
    const info = adapter.info;
    return {
      available: true,
      vendor: info.vendor || 'unknown vendor',
      architecture: info.architecture || 'unknown architecture',
      description: info.description || '',
      fallbackAdapter: Boolean((info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter),
      maxStorageBufferMiB: Math.round(adapter.limits.maxStorageBufferBindingSize / (1024 * 1024)),
    };
  } catch (error) {
    return { available: false, reason: error instanceof Error ? error.message : 'WebGPU failed to start.' };
  }
}
