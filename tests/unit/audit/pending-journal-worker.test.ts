import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledgeConsent, setUpStore, startTestServices, type TestServices } from '../../support/services';

// While locked, refusals wait in a journal beside the database until the next sign-in. A flood of
// denied calls once pushed a failed recovery-secret attempt out of it, and the drop entry said 2
// where 502 had gone. Through the real worker: the failure survives, and the count is exact.

let t: TestServices;
let secret = '';
const call = (channel: string, request: object = {}) => t.dispatch(`enclave:${channel}`, request);
const WRONG = '0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000';
const DENIED = 1_500;

interface Entry {
  seq: number;
  actor: string;
  event: string;
  detail: string;
}

beforeAll(async () => {
  t = await startTestServices();
  await acknowledgeConsent(t);
  secret = await setUpStore(t);
  await call('identity.lock');
});
afterAll(() => t?.close());

async function allEntries(): Promise<Entry[]> {
  const entries: Entry[] = [];
  let beforeSeq: number | undefined;
  for (;;) {
    const page = await call('audit.list', { limit: 500, ...(beforeSeq ? { beforeSeq } : {}) });
    if (!page.ok) throw new Error(page.error.message);
    const batch = (page.value as { entries: Entry[] }).entries;
    entries.push(...batch);
    if (batch.length < 500) return entries.reverse();
    beforeSeq = batch.at(-1)!.seq;
  }
}

describe('the pre-sign-in journal', () => {
  it('keeps a failed recovery secret through 1,500 denied calls, and counts what it dropped exactly', async () => {
    const failed = await call('identity.recover', { recoverySecret: WRONG });
    expect(failed).toMatchObject({ ok: false, error: { message: expect.stringMatching(/does not unlock/) } });
    for (let sent = 0; sent < DENIED; sent += 100) {
      const batch = await Promise.all(Array.from({ length: 100 }, () => call('audit.list', { limit: 10 })));
      expect(batch.every((r) => !r.ok && r.error.code === 'UNAUTHENTICATED')).toBe(true);
    }

    const recovered = await call('identity.recover', { recoverySecret: secret });
    expect(recovered.ok).toBe(true);
    const entries = await allEntries();
    const failures = entries.filter((e) => e.event === 'login.failure');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ actor: 'recovery', detail: expect.stringMatching(/NOT_ENROLLED/) });

    const denied = entries.filter((e) => e.event === 'access.denied').length;
    const drops = entries.filter((e) => e.event === 'audit.journal.dropped');
    expect(drops).toHaveLength(1);
    const dropped = (JSON.parse(drops[0]!.detail) as { entries: number }).entries;
    expect(denied).toBeGreaterThan(0);
    expect(dropped + denied).toBe(DENIED);
    expect(entries.at(-1)?.event).toMatch(/^(login|unlock)$/); // the sign-in that brought them in
  });
});
