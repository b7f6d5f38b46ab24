/**
 * The user at work, as the idle lock counts it. The service pushes its idle lock back on any call
 * but identity.status (electron/worker/router.ts), and reading results makes no call: so scrolling,
 * the wheel, keys and pointer movement in the page are reported, at most once per REPORT_EVERY_MS.
 */
export const ACTIVITY_EVENTS = ['scroll', 'wheel', 'keydown', 'pointermove', 'pointerdown', 'touchstart'] as const;

/** Well under the shortest idle lock a site would set, and few enough calls to cost nothing. */
export const REPORT_EVERY_MS = 5_000;

/** A function to call on every sign of activity; it calls `report` at once, then at most once per `everyMs`. */
export function throttledActivity(
  report: () => void,
  everyMs = REPORT_EVERY_MS,
  now: () => number = () => performance.now(),
): () => void {
  let last = Number.NEGATIVE_INFINITY;
  return () => {
    const time = now();
    if (time - last < everyMs) return;
    last = time;
    report();
  };
}

/** Listens on `target` (scroll does not bubble: capture catches every scrolling element); returns the stop. */
export function watchActivity(target: Pick<Window, 'addEventListener' | 'removeEventListener'>, report: () => void) {
  const seen = throttledActivity(report);
  const options = { capture: true, passive: true };
  for (const name of ACTIVITY_EVENTS) target.addEventListener(name, seen, options);
  return () => {
    for (const name of ACTIVITY_EVENTS) target.removeEventListener(name, seen, options);
  };
}
