/** How many failures, within how long, before attempts are refused; and how long, doubling each time. */
export interface AttemptLimits {
  failures: number;
  windowMs: number;
  backoffMs: number;
  maxBackoffMs: number;
}

export const RECOVERY_LIMITS: AttemptLimits = {
  failures: 5,
  windowMs: 60_000,
  backoffMs: 30_000,
  maxBackoffMs: 15 * 60_000,
};

/**
 * Counts failed attempts at a secret that costs the service real work (a recovery secret: a full
 * scrypt each). Past `failures` within `windowMs`, attempts are refused for a backoff that doubles
 * with each lock-out, so a loop of guesses gets a handful of tries an hour and never holds the worker.
 */
export class AttemptLimit {
  #failures: number[] = [];
  #blockedUntil = 0;
  #lockouts = 0;

  constructor(
    private readonly now: () => number,
    private readonly limits: AttemptLimits = RECOVERY_LIMITS,
  ) {}

  /** Milliseconds until the next attempt may run; 0 when it may run now. */
  waitMs(): number {
    return Math.max(0, this.#blockedUntil - this.now());
  }

  failed(): void {
    const now = this.now();
    this.#failures = [...this.#failures.filter((at) => now - at < this.limits.windowMs), now];
    if (this.#failures.length < this.limits.failures) return;
    const backoff = Math.min(this.limits.backoffMs * 2 ** this.#lockouts, this.limits.maxBackoffMs);
    this.#blockedUntil = now + backoff;
    this.#lockouts += 1;
    this.#failures = [];
  }

  succeeded(): void {
    this.#failures = [];
    this.#lockouts = 0;
    this.#blockedUntil = 0;
  }
}
