import { afterEach, describe, expect, it } from 'vitest';
import type { EnclaveEvent } from '../../../common/ipc/events';
import { acknowledgeConsent, startTestServices, type TestServices } from '../../support/services';

// The services push identity.changed so that no window polls: on unlock, on lock, and while a
// window listens, whenever the picture of the readers changes. Through the real service worker.
let t: TestServices | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

async function until(check: () => boolean, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('service events', () => {
  it('tells a listener when the session unlocks and when it locks', async () => {
    t = await startTestServices();
    const heard: EnclaveEvent[] = [];
    t.services.onEvent((event) => heard.push(event));
    await acknowledgeConsent(t);
    const begun = await t.dispatch('enclave:setup.begin', { siteName: 'Events', systemHigh: 'SECRET' });
    const recoverySecret = begun.ok ? (begun.value as { recoverySecret: string }).recoverySecret : '';
    expect(await t.dispatch('enclave:setup.confirm', { recoverySecret })).toMatchObject({ ok: true });
    await until(() => heard.some((e) => e.name === 'identity.changed' && e.payload.unlocked));
    expect(await t.dispatch('enclave:identity.lock', {})).toMatchObject({ ok: true, value: { locked: true } });
    await until(() => {
      const last = heard.at(-1);
      return last?.name === 'identity.changed' && !last.payload.unlocked;
    });
  });

  it('a listener under an invalid site configuration does not bring the worker down', async () => {
    t = await startTestServices({ systemHigh: 'SECERT' });
    const heard: EnclaveEvent[] = [];
    t.services.onEvent((event) => heard.push(event));
    // The identity watch reads the readers under the bad configuration once a second.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(t.logs.filter((line) => /stopped|error/i.test(line))).toEqual([]);
    const info = await t.dispatch('enclave:system.info', {});
    expect(info).toMatchObject({ ok: false, error: { code: 'MISCONFIGURED' } });
    expect(heard.every((e) => e.name === 'identity.changed')).toBe(true);
  });

  it('tells listeners the session is gone when the worker stops under them', async () => {
    t = await startTestServices();
    const heard: EnclaveEvent[] = [];
    t.services.onEvent((event) => heard.push(event));
    await acknowledgeConsent(t);
    // A worker that dies (here: made to exit) takes any session with it.
    await t.services.call('system', 'info', {});
    (t.services as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await until(() => heard.some((e) => e.name === 'identity.changed' && !e.payload.unlocked));
  });
});
