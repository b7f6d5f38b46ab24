import { describe, expect, it } from 'vitest';
import { ACTIVITY_EVENTS, throttledActivity, watchActivity } from '../../../renderer/app/activity';

describe('activity for the idle lock', () => {
  it('reports the first sign at once, then at most once per interval however many come', () => {
    let time = 0;
    const reports: number[] = [];
    const seen = throttledActivity(
      () => reports.push(time),
      5_000,
      () => time,
    );
    for (time = 0; time <= 12_000; time += 100) seen();
    expect(reports).toEqual([0, 5_000, 10_000]);
  });

  it('listens for scrolling, the wheel, keys and the pointer, in the capture phase, until stopped', () => {
    const listening = new Map<string, EventListenerOrEventListenerObject>();
    const target = {
      addEventListener: (name: string, listener: EventListenerOrEventListenerObject, options?: unknown) => {
        expect(options).toMatchObject({ capture: true, passive: true });
        listening.set(name, listener);
      },
      removeEventListener: (name: string) => listening.delete(name),
    } as unknown as Window;
    let reports = 0;
    const stop = watchActivity(target, () => (reports += 1));
    expect([...listening.keys()].sort()).toEqual([...ACTIVITY_EVENTS].sort());
    expect(listening.has('scroll') && listening.has('wheel') && listening.has('keydown')).toBe(true);
    (listening.get('wheel') as () => void)();
    expect(reports).toBe(1);
    stop();
    expect(listening.size).toBe(0);
  });
});
