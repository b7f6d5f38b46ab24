import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A token bucket for the sender's rate. The bucket holds at most `burstSeconds` of sending, so a
 * sender that was held up (a busy machine, a slow disk) does not then fire a long burst that the
 * receiver's socket buffer would drop: time lost is lost, not made up.
 */
export class Pacer {
  private tokens: number;
  private last = process.hrtime.bigint();
  private readonly burst: number;

  constructor(
    private readonly bitsPerSecond: number,
    burstSeconds = 0.004,
  ) {
    this.burst = Math.max(bitsPerSecond * burstSeconds, 65_536 * 8);
    this.tokens = this.burst;
  }

  take(bits: number): void {
    this.tokens -= bits;
  }

  /** True when what was taken fits the rate: the caller may go on without waiting. */
  ready(): boolean {
    const now = process.hrtime.bigint();
    this.tokens = Math.min(this.burst, this.tokens + (Number(now - this.last) / 1e9) * this.bitsPerSecond);
    this.last = now;
    return this.tokens >= 0;
  }

  /** Waits until what was taken fits the rate again. */
  async wait(): Promise<void> {
    while (!this.ready()) {
      const seconds = -this.tokens / this.bitsPerSecond;
      // Timers are 1 ms at best: under that, yield to the loop and look again.
      if (seconds >= 0.001) await sleep(seconds * 1000);
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
