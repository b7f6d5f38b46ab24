import { create } from 'zustand';
import { probeWebGpu, type WebGpuProbe } from '../engine/webgpu-probe';

export interface GpuState {
  probe: WebGpuProbe | null;
  run(): Promise<void>;
}

export const useGpuState = create<GpuState>((set, get) => ({
  probe: null,
  async run() {
    if (get().probe) return;
    set({ probe: await probeWebGpu() });
  },
}));
