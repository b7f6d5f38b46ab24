/**
 * When the native PKCS#11 call now running began (ms since the epoch; 0 when none), in memory
 * shared with a watchdog on another thread. A call that never returns blocks its thread's event
 * loop, so only another thread can see it: OpenSC 0.23 can block forever when a card is pulled
 * in the middle of an operation (docs/pkcs11.md).
 */
let clock: BigInt64Array | null = null;

export const NATIVE_CALL_CLOCK_BYTES = 8;

/** Called once in the thread that makes PKCS#11 calls. */
export function shareNativeCallClock(buffer: SharedArrayBuffer): void {
  clock = new BigInt64Array(buffer, 0, 1);
}

export function nativeCallStarted(): void {
  if (clock) Atomics.store(clock, 0, BigInt(Date.now()));
}

export function nativeCallEnded(): void {
  if (clock) Atomics.store(clock, 0, 0n);
}

/** Read by the watchdog: when the running call began, or null when none is running. */
export function nativeCallRunningSince(buffer: SharedArrayBuffer): number | null {
  const since = Atomics.load(new BigInt64Array(buffer, 0, 1), 0);
  return since === 0n ? null : Number(since);
}
