import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpcResult } from '../../../common/ipc/result';
import { acknowledgeConsent, setUpStore, startTestServices, type TestServices } from '../../support/services';

// Each wrong recovery secret costs a full scrypt (128 MiB, about 0.4 s). Forty at once once held the
// service worker for about 30 s; now attempts take turns off the worker's thread and, past a few
// failures, are refused at once without scrypt.

let t: TestServices;
let secret = '';
const call = (channel: string, request: object = {}) => t.dispatch(`enclave:${channel}`, request);
const WRONG = '0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000';

beforeAll(async () => {
  t = await startTestServices();
  await acknowledgeConsent(t);
  secret = await setUpStore(t);
  await call('identity.lock');
});
afterAll(() => t?.close());

const messageOf = (result: IpcResult<unknown>) => (result.ok ? 'unlocked' : result.error.message);

describe('wrong recovery secrets through the real worker', () => {
  it('forty at once: the worker keeps answering, and past a few failures they are refused without scrypt', async () => {
    const attempts = Array.from({ length: 40 }, () => call('identity.recover', { recoverySecret: WRONG }));
    const started = performance.now();
    const info = await call('system.info');
    const infoMs = performance.now() - started;
    expect(info.ok).toBe(true);
    expect(infoMs).toBeLessThan(1_000);

    const messages = (await Promise.all(attempts)).map(messageOf);
    const tried = messages.filter((m) => /does not unlock this workstation/.test(m));
    const throttled = messages.filter((m) => /^Too many attempts; wait \d+ s\.$/.test(m));
    expect(tried.length).toBe(5);
    expect(throttled.length).toBe(35);

    // Even the right secret is not tried while throttled: nothing is learnt from guessing faster.
    const started2 = performance.now();
    const right = await call('identity.recover', { recoverySecret: secret });
    expect(messageOf(right)).toMatch(/^Too many attempts; wait \d+ s\.$/);
    expect(performance.now() - started2).toBeLessThan(300);
  });
});
