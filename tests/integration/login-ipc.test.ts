import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionPivFixture, type PivFixture } from '../support/fixtures/piv';
import { acknowledgeConsent, startTestServices, type TestServices } from '../support/services';

// The identity.* channels through the real service worker: card detection from the site's module
// list, a refusal as a typed value, admin-only channels refused while locked, the PIN never logged.

let fixture: PivFixture;
let t: TestServices;

beforeAll(async () => {
  fixture = await provisionPivFixture(); // sets SOFTHSM2_CONF, which the worker inherits
  t = await startTestServices({ pkcs11Modules: [fixture.modulePath] });
  await acknowledgeConsent(t);
});
afterAll(async () => {
  await t?.close();
  fixture?.cleanup();
});

describe('identity channels', () => {
  it('identity.status lists the inserted cards', async () => {
    const result = await t.dispatch('enclave:identity.status', {});
    expect(result).toMatchObject({ ok: true, value: { unlocked: false, user: null, card: { state: 'card-present' } } });
    const serials = (result as { value: { card: { cards: { serialNumber: string }[] } } }).value.card.cards.map(
      (c) => c.serialNumber,
    );
    expect(serials).toContain(fixture.users['valid-rsa'].serialNumber);
  });

  it('identity.login answers a refusal as a typed value and does not log the PIN', async () => {
    const user = fixture.users['valid-rsa'];
    const result = await t.dispatch('enclave:identity.login', { pin: user.pin, serialNumber: user.serialNumber });
    expect(result).toMatchObject({ ok: true, value: { outcome: 'refused', reason: 'NO_STORE', pin: null } });
    expect(t.logs.join('\n')).not.toContain(user.pin);
  });

  it('admin channels need an unlocked session', async () => {
    expect(await t.dispatch('enclave:identity.users', {})).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    expect(await t.dispatch('enclave:identity.lock', {})).toEqual({ ok: true, value: { locked: false } });
  });
});
