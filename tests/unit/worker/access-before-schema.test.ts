import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledgeConsent, setUpStore, startTestServices, type TestServices } from '../../support/services';

// The role is checked before the request's shape: a malformed administration call from a locked
// session is a denial on record, not an input error that leaves no trace.

let t: TestServices;
let secret = '';
const call = (channel: string, request: unknown = {}) => t.dispatch(`enclave:${channel}`, request);

beforeAll(async () => {
  t = await startTestServices();
  await acknowledgeConsent(t);
  secret = await setUpStore(t);
  await call('identity.lock');
});
afterAll(() => t?.close());

describe('access before schema, through the real worker', () => {
  it('a malformed trust call while locked is refused as not signed in and audited as a denial', async () => {
    for (const request of [{ id: 'one', isAdmin: true }, null, [1, 2]])
      expect(await call('trust.removeAnchor', request)).toMatchObject({
        ok: false,
        error: { code: 'UNAUTHENTICATED', message: 'Sign in with your card first.' },
      });
    // A public channel's malformed request is still an input error, with its issues.
    expect(await call('markings.check', { marking: 42 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', issues: [{ path: 'marking' }] },
    });

    expect(await call('identity.recover', { recoverySecret: secret })).toMatchObject({ ok: true });
    // Signed in, the same malformed call is an input error (and the service never sees it).
    expect(await call('trust.removeAnchor', { id: 'one' })).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_ARGUMENT',
        message: 'trust.removeAnchor: the request is invalid.',
        issues: [{ path: 'id' }],
      },
    });
    const page = await call('audit.list', { limit: 50 });
    if (!page.ok) throw new Error(page.error.message);
    const denied = (page.value as { entries: { event: string; actor: string; object: string }[] }).entries.filter(
      (e) => e.event === 'access.denied',
    );
    expect(denied.map((e) => [e.actor, e.object])).toEqual([
      ['anonymous', 'trust.removeAnchor'],
      ['anonymous', 'trust.removeAnchor'],
      ['anonymous', 'trust.removeAnchor'],
    ]);
  });
});
