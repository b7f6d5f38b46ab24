/**
 * `device.lost` handling. A GPU device can go away at any time (driver reset, the GPU process
 * crashing, `destroy()`); WebGPU then resolves `device.lost` and quietly drops queued work, so a
 * pending readback can hang or fail with a bare AbortError. Every piece of engine work runs
 * through the device's guard: when the device is lost, pending work rejects with a
 * WebGpuDeviceLostError naming what was cut short, and later work is refused at once.
 */

export class WebGpuDeviceLostError extends Error {
  override readonly name = 'WebGpuDeviceLostError';
  readonly reason: GPUDeviceLostReason;

  constructor(info: Pick<GPUDeviceLostInfo, 'reason' | 'message'>, deviceLabel: string, work: string) {
    const how = info.reason === 'destroyed' ? 'was destroyed' : 'was lost';
    const detail = info.message ? ` (${info.message})` : '';
    super(
      `The WebGPU device "${deviceLabel}" ${how}${detail}, so ${work} did not finish. Open a new device or run on CPU workers.`,
    );
    this.reason = info.reason;
  }
}

/** How long a failed readback waits for `device.lost` to say whether the device is the cause. */
const LOSS_SETTLE_MS = 250;

export class DeviceGuard {
  #lost: GPUDeviceLostInfo | null = null;
  readonly #lostPromise: Promise<GPUDeviceLostInfo>;
  readonly #pending = new Set<(info: GPUDeviceLostInfo) => void>();
  readonly #label: string;

  constructor(device: GPUDevice) {
    this.#label = device.label || 'unlabelled';
    this.#lostPromise = device.lost.then((info) => {
      this.#lost = info;
      for (const reject of this.#pending) reject(info);
      this.#pending.clear();
      return info;
    });
  }

  /** Why the device went away, or null while it is usable. */
  get lost(): GPUDeviceLostInfo | null {
    return this.#lost;
  }

  /** Throws WebGpuDeviceLostError if the device is already lost. */
  assertUsable(work: string): void {
    if (this.#lost) throw new WebGpuDeviceLostError(this.#lost, this.#label, work);
  }

  /**
   * Runs `task`; if the device is lost before it settles, the result rejects with
   * WebGpuDeviceLostError. A task that fails on its own is checked too: WebGPU may reject a
   * readback of a destroyed device a moment before it resolves `device.lost`.
   */
  run<T>(work: string, task: () => Promise<T>): Promise<T> {
    this.assertUsable(work);
    return new Promise<T>((resolve, reject) => {
      const onLost = (info: GPUDeviceLostInfo) => reject(new WebGpuDeviceLostError(info, this.#label, work));
      this.#pending.add(onLost);
      task().then(
        (value) => {
          this.#pending.delete(onLost);
          resolve(value);
        },
        async (error: unknown) => {
          this.#pending.delete(onLost);
          // Readbacks of a lost device fail with a DOMException (AbortError, OperationError).
          const info = this.#lost ?? (error instanceof DOMException ? await this.#lostWithin(LOSS_SETTLE_MS) : null);
          reject(info ? new WebGpuDeviceLostError(info, this.#label, work) : error);
        },
      );
    });
  }

  #lostWithin(ms: number): Promise<GPUDeviceLostInfo | null> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), ms);
    });
    return Promise.race([this.#lostPromise, timeout]).finally(() => clearTimeout(timer));
  }
}

const guards = new WeakMap<GPUDevice, DeviceGuard>();

/** The one guard of `device`, created (and `device.lost` watched) on first use. */
export function guardDevice(device: GPUDevice): DeviceGuard {
  let guard = guards.get(device);
  if (!guard) {
    guard = new DeviceGuard(device);
    guards.set(device, guard);
  }
  return guard;
}
