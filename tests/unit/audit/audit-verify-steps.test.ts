import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempStore, type TempStore } from '../../support/store';

// audit.verify over a long log: in steps that give the service worker back, with progress, and cancellable.
let t: TempStore;
beforeAll(() => {
  t = createTempStore();
  const events = Array.from({ length: 12_000 }, (_, i) => ({
    actor: 'analyst',
    event: 'object.save',
    object: `model:${i}`,
    outcome: 'success' as const,
  }));
  t.store.audit.append(...events);
});
afterAll(() => {
  t.store.close();
  t.cleanup();
});

describe('audit verify in steps', () => {
  it('reports progress step by step and reaches the same verdict as the whole scan', async () => {
    const seen: [number, number][] = [];
    const verdict = await t.store.audit.verifyInSteps(new AbortController().signal, (checked, total) =>
      seen.push([checked, total]),
    );
    expect(seen).toEqual([
      [5000, 12_001],
      [10_000, 12_001],
    ]);
    expect(verdict).toEqual({ ok: true, entries: 12_001, head: 12_001 });
    expect(verdict).toEqual(t.store.audit.verify());
  });

  it('lets other work use the database between steps, and stops when cancelled', async () => {
    const controller = new AbortController();
    const running = t.store.audit.verifyInSteps(controller.signal, () => {
      // Another call's audit entry, written while the verify is between steps: no busy connection.
      setImmediate(() => {
        t.store.audit.append({ actor: 'admin', event: 'lock', outcome: 'success' });
        controller.abort();
      });
    });
    await expect(running).rejects.toThrow(/abort/i);
    expect(t.store.audit.verify()).toMatchObject({ ok: true, entries: 12_002 });
  });
});
